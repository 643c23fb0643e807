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
}
