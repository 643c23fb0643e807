using Cluster.Silo.Api.Security;

namespace Cluster.Silo.Api.Hosting;

/// <summary>The HTTP API's limits and the files it needs beyond the checkpoint; bound from the <c>Api</c> section.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Requests generating at once on this silo; more wait in the admission queue.</summary>
    public int MaxConcurrentRequests { get; set; } = 64;

    /// <summary>Requests waiting for a generation slot; past this the API answers 429.</summary>
    public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>The <c>Retry-After</c> a 429 or 503 carries.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>max_tokens of a completion that does not say (OpenAI's default is 16).</summary>
    public int DefaultCompletionMaxTokens { get; set; } = 16;

    /// <summary>The live cluster page at <c>/</c> and <c>/ui</c> (and the serving history it charts).</summary>
    public bool Ui { get; set; } = true;

    /// <summary>A Jinja chat template file that replaces the model's own.</summary>
    public string? ChatTemplate { get; set; }

    /// <summary>Keys a client must send as <c>Authorization: Bearer KEY</c> on every <c>/v1/*</c> route; none: the API is open.</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>A file of further keys, one a line (blank lines and lines starting with # are skipped).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary><c>/metrics</c>: open by default, as Prometheus scrapes without credentials.</summary>
    public EndpointAccess MetricsAccess { get; set; } = EndpointAccess.Open;

    /// <summary><c>/v1/cluster/status</c>: it names silos, devices and load, so it follows the API keys.</summary>
    public EndpointAccess StatusAccess { get; set; } = EndpointAccess.Key;

    /// <summary>The live page (<c>/</c>, <c>/ui</c>) and the Orleans Dashboard (<c>/dashboard</c>).</summary>
    public EndpointAccess UiAccess { get; set; } = EndpointAccess.Key;

    /// <summary>Largest request body in MiB; a larger one is answered 413.</summary>
    public int MaxRequestBodyMb { get; set; } = 16;

    /// <summary>Messages one chat request may hold (OpenAI's limit).</summary>
    public int MaxMessages { get; set; } = 2048;

    /// <summary>Stop strings one request may give (OpenAI allows 4).</summary>
    public int MaxStopStrings { get; set; } = 4;

    /// <summary>Seconds one generation request may take from arrival to its last token; 0: no deadline.</summary>
    public double RequestTimeoutSeconds { get; set; }

    /// <summary>Seconds one write of a stream may wait for a client that does not read before the generation is cancelled and its pages freed.</summary>
    public double StreamWriteTimeoutSeconds { get; set; } = 30;
}
