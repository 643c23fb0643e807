using System.Globalization;
using System.Reflection;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api.Hosting;
using Cluster.Silo.Security;
using Cluster.Silo.Telemetry;

namespace Cluster.Silo.CommandLine;

/// <summary>
/// Every option of the silo, in the groups of <c>--help</c> and docs/api.md. The command line is
/// bound through this table and <c>--help</c> is printed from it; a key that an options class
/// binds takes its type and default from that class (<see cref="ClusterSiloOptions"/>,
/// <see cref="ApiOptions"/>), the few read directly from configuration say theirs here.
/// </summary>
public static class SiloOptionTable
{
    public const string Model = "Model";
    public const string Embeddings = "Embeddings";
    public const string Http = "HTTP API";
    public const string KvCache = "KV cache and batching";
    public const string Plan = "Pipeline plan";
    public const string Membership = "Cluster membership";
    public const string Reliability = "Admission and recovery";
    public const string Security = "Authentication and TLS";
    public const string Diagnostics = "Telemetry and diagnostics";
    public const string General = "General";

    public static IReadOnlyList<SiloOption> All { get; } =
    [
        Bound("--model", "Cluster:Model", Model, "HF directory, .gguf, llama2.c .bin, or synthetic:SHAPE; with neither --model nor --embedding-model the embedded default is served, with --embedding-model alone no generation model", "embedded default"),
        Bound("--tokenizer", "Cluster:Tokenizer", Model, "tokenizer file (llama2.c tokenizer.bin, tokenizer.json, .gguf)", "found beside the model"),
        Bound("--model-name", "Cluster:ModelName", Model, "the model id clients send as `model`", "the file name"),
        Bound("--chat-template", "Api:ChatTemplate", Model, "a Jinja file replacing the model's chat template", "the model's own"),
        Bound("--max-model-len", "Cluster:MaxModelLen", Model, "context length served (prompt + output), overriding the model file's; above the trained length a warning is logged", "the model's"),
        Bound("--device", "Cluster:Device", Model, "cpu or cuda:N"),
        Bound("--dtype", "Cluster:Dtype", Model, "compute dtype: float32, bfloat16 or float16 (activations travel in it too)"),

        Bound("--embedding-model", "Cluster:EmbeddingModel", Embeddings, "a BERT sentence-embedding model (HF directory) served at /v1/embeddings, beside --model's generation model or, without --model, alone", "none"),
        Bound("--embedding-model-name", "Cluster:EmbeddingModelName", Embeddings, "the embedding model's id clients send as model", "the directory name"),
        Bound("--embedding-stages", "Cluster:EmbeddingStages", Embeddings, "stages the encoder's layers are cut into, each forwarding activations to the next"),
        Bound("--embedding-max-batch-tokens", "Cluster:EmbeddingMaxBatchTokens", Embeddings, "token budget of one encoder pass (concurrent requests padded into one batch)"),

        Unbound("--urls", "urls", Http, typeof(string), "http://127.0.0.1:8080 if free, else a free port", "where HTTP listens (ASP.NET Core's own switch)"),
        Unbound("--http-port", "Cluster:HttpPort", Http, typeof(int), "none", "loopback HTTP port"),
        Bound("--max-concurrent-requests", "Api:MaxConcurrentRequests", Http, "requests generating at once on this silo"),
        Bound("--max-queued-requests", "Api:MaxQueuedRequests", Http, "requests waiting for a slot; one more gets 429"),
        Bound("--retry-after", "Api:RetryAfterSeconds", Http, "`Retry-After` seconds of a 429 or 503"),
        Bound("--default-max-tokens", "Api:DefaultCompletionMaxTokens", Http, "`max_tokens` of a completion that gives none (OpenAI's default); chat defaults to the rest of the context window"),
        Bound("--max-request-body-mb", "Api:MaxRequestBodyMb", Http, "largest request body in MiB; a larger one gets 413"),
        Bound("--max-messages", "Api:MaxMessages", Http, "messages one chat request may hold (OpenAI's limit)"),
        Bound("--max-stop-strings", "Api:MaxStopStrings", Http, "stop strings one request may give (OpenAI allows 4)"),
        Bound("--request-timeout", "Api:RequestTimeoutSeconds", Http, "seconds a generation request may take, queueing included; past it the request ends with a 504 error (0: no deadline)"),
        Bound("--stream-write-timeout", "Api:StreamWriteTimeoutSeconds", Http, "seconds a stream may wait for a client that stopped reading before its generation is cancelled and its pages freed"),

        Bound("--page-size", "Cluster:PageSize", KvCache, "tokens per KV page"),
        Bound("--kv-cache-memory-fraction", "Cluster:KvCacheMemoryFraction", KvCache, "share of the memory left on the device once the weights are loaded (CPU: available RAM within the cgroup's limit) that K/V pages take, shared by this silo's stages"),
        Bound("--kv-cache-max-seqs", "Cluster:KvCacheMaxSequences", KvCache, "sizing from memory takes no more pages than this many sequences at full context use"),
        Bound("--kv-cache-mb", "Cluster:KvCacheMb", KvCache, "memory for each stage's K/V pages, overriding the sizing from memory", "sized from memory"),
        Bound("--page-count", "Cluster:PageCount", KvCache, "pages per stage, overriding --kv-cache-mb and the sizing from memory", "sized from memory"),
        Bound("--huge-pages", "Cluster:HugePages", KvCache, "CPU weights and K/V pages in 2 MiB pages where Linux grants them"),
        Bound("--max-batch-tokens", "Cluster:MaxBatchTokens", KvCache, "token budget of one forward pass"),
        Bound("--prefill-chunk", "Cluster:PrefillChunkTokens", KvCache, "prompts longer than this go through the pipeline in chunks of this many tokens"),

        Bound("--layers", "Cluster:Layers", Plan, "explicit plan: the layers this silo hosts, e.g. 0-1 or 0-1,4 (each range one stage)", "all"),
        Bound("--stages", "Cluster:Stages", Plan, "explicit plan by stage: the stages this silo hosts out of a balanced split into --stage-count", "all"),
        Bound("--stage-count", "Cluster:StageCount", Plan, "stages of the balanced split"),
        Bound("--auto", "Cluster:Auto", Plan, "automatic plan: the layers are split over all --auto silos by the device memory they offer"),
        Bound("--expect-silos", "Cluster:ExpectedSilos", Plan, "automatic plan: silos that must have joined before the layers are split"),
        Bound("--device-memory-mb", "Cluster:DeviceMemoryMb", Plan, "device memory offered to the automatic plan", "what the runtime reports"),
        Bound("--replicas", "Cluster:Replicas", Plan, "pipelines of the model in the cluster"),
        Bound("--replica", "Cluster:Replica", Plan, "the one replica this silo serves", "all"),
        Bound("--spare", "Cluster:Spare", Plan, "host no layers while the plan is whole; take over the range of a silo that leaves"),
        Bound("--plan-timeout", "Cluster:PlanTimeoutSeconds", Plan, "seconds a stage or sequence waits for the silos to form a whole pipeline"),

        Unbound("--redis", "Cluster:Redis", Membership, typeof(string), "none (alone on localhost)", "Redis connection for membership (host:port)"),
        Unbound("--cluster-id", "Cluster:ClusterId", Membership, typeof(string), "llm", "the cluster's id in Redis"),
        Unbound("--advertise", "Cluster:Advertise", Membership, typeof(string), "127.0.0.1", "the address other hosts reach this silo at"),
        Unbound("--silo-port", "Cluster:SiloPort", Membership, typeof(int), "11111", "silo-to-silo port"),
        Unbound("--gateway-port", "Cluster:GatewayPort", Membership, typeof(int), "30000", "Orleans client gateway port"),
        Unbound("--probe-timeout", "Cluster:ProbeTimeoutSeconds", Membership, typeof(double), "Orleans' (~15 s to declare a death)", "seconds of one membership probe; a silo missing two is declared dead"),
        Bound("--directory-lease", "Cluster:DirectoryLeaseSeconds", Membership, "seconds after a silo's death before the grains it hosted are activated elsewhere"),
        Bound("--max-message-body-mb", "Cluster:MaxMessageBodyMb", Membership, "Orleans' message body limit, raised for long prefill chunks (set the client's the same)"),

        Bound("--kv-cache-watermark", "Cluster:KvCacheWatermark", Reliability, "share of a stage's pages a new sequence must leave free for the running ones to grow into (pages are taken as tokens are generated; a stage that runs dry preempts its newest sequence)"),
        Bound("--admission-timeout", "Cluster:AdmissionTimeoutSeconds", Reliability, "seconds a new sequence waits for free pages before it fails"),
        Bound("--max-queued", "Cluster:MaxQueuedRequests", Reliability, "new sequences of one replica that may wait for pages; one more is refused (429)"),
        Bound("--step-timeout", "Cluster:StepTimeoutSeconds", Reliability, "seconds a sequence waits for one step before it fails"),
        Bound("--stall-check", "Cluster:StallCheckSeconds", Reliability, "seconds a step may take before the sequence checks that every stage's silo is alive"),
        Bound("--max-recoveries", "Cluster:MaxRecoveries", Reliability, "replays one sequence may make after losses before it fails"),
        Bound("--page-lease", "Cluster:PageLeaseSeconds", Reliability, "a stage frees the pages of a sequence it has not heard from for this many seconds"),
        Bound("--activation-log-mb", "Cluster:ActivationLogMb", Reliability, "host memory a stage keeps the activations it sent in, to resend them to a replaced next stage (0: off)"),
        Bound("--drain-timeout", "Cluster:DrainTimeoutSeconds", Reliability, "seconds running sequences may take to finish on graceful shutdown"),

        Bound("--api-key", "Api:ApiKeys", Security, "a key clients send as Authorization: Bearer KEY on every /v1 route (repeatable)", "none (the API is open)") with { Repeatable = true },
        Bound("--api-key-file", "Api:ApiKeyFile", Security, "a file of API keys, one a line (# comments and blank lines skipped)", "none"),
        Bound("--metrics-access", "Api:MetricsAccess", Security, "/metrics: open, key (needs an API key when keys are set) or off"),
        Bound("--status-access", "Api:StatusAccess", Security, "/v1/cluster/status: open, key or off"),
        Bound("--ui-access", "Api:UiAccess", Security, "the live page (/, /ui) and /dashboard: open, key or off"),
        Bound("--tls-certificate", "Tls:Certificate", Security, "this node's certificate (PEM or PFX): mutual TLS on the silo and gateway ports", "none (plain TCP)"),
        Bound("--tls-key", "Tls:Key", Security, "the PEM private key of --tls-certificate when it is a separate file", "in the certificate file"),
        Bound("--tls-ca", "Tls:CertificateAuthority", Security, "PEM file of the CA every peer's certificate must be issued by", "none"),
        Bound("--tls-password", "Tls:CertificatePassword", Security, "password of a PFX certificate or an encrypted PEM key (better set as Tls__CertificatePassword)", "none"),

        Bound("--ui", "Api:Ui", Diagnostics, "serve the live cluster page (pipeline, stage figures, charts, a playground) at / and /ui"),
        Unbound("--dashboard", TelemetryHosting.DashboardKey, Diagnostics, typeof(bool), "false", "serve the Orleans Dashboard at /dashboard"),
        Bound("--measure-wire", "Cluster:MeasureWireBytes", Diagnostics, "stages serialize every message once more to count its bytes (tests and experiments)"),

        new("--help", null, General, null, "", "print this list and exit (also -h)"),
        new("--verbose", null, General, null, "", "a failed start prints the exception's stack trace too"),
    ];

    /// <summary>The option a switch names (case-insensitive, as configuration keys are), or the configuration-key form <c>--Cluster:PageSize</c>.</summary>
    public static SiloOption? Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Switch, name, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(o => o.Key is not null && string.Equals("--" + o.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The option that binds a configuration key, from any source (command line, environment, settings file).</summary>
    public static SiloOption? ForKey(string key) =>
        All.FirstOrDefault(o => string.Equals(o.Key, key, StringComparison.OrdinalIgnoreCase))
        ?? (IndexOf(key) is { } list ? All.FirstOrDefault(o => o.Repeatable && string.Equals(o.Key, list, StringComparison.OrdinalIgnoreCase)) : null);

    /// <summary>The list key of an element key (<c>Api:ApiKeys:0</c> is an element of <c>Api:ApiKeys</c>), or null.</summary>
    private static string? IndexOf(string key) =>
        key.LastIndexOf(':') is var colon and > 0 && key[(colon + 1)..].All(char.IsAsciiDigit) && colon + 1 < key.Length ? key[..colon] : null;

    /// <summary>The configuration sections whose every key must be one of the table's.</summary>
    public static IReadOnlyList<string> CheckedSections { get; } = [ClusterSiloOptions.Section, ApiOptions.Section, ClusterTlsOptions.Section];

    /// <summary>An option whose key an options class binds: its type and default are that property's.</summary>
    private static SiloOption Bound(string @switch, string key, string group, string meaning, string? defaultText = null)
    {
        var (section, name) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 1)..]);
        object defaults = section switch
        {
            ClusterSiloOptions.Section => new ClusterSiloOptions(),
            ApiOptions.Section => new ApiOptions(),
            ClusterTlsOptions.Section => new ClusterTlsOptions(),
            _ => throw new ArgumentException($"no options class binds the section of {key}", nameof(key)),
        };
        var property = defaults.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{defaults.GetType().Name} has no property {name}", nameof(key));
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        // A list-valued key (the API keys) takes one value per switch.
        if (type.IsArray) type = type.GetElementType()!;
        return new SiloOption(@switch, key, group, type, defaultText ?? Shown(property.GetValue(defaults)), meaning);
    }

    private static SiloOption Unbound(string @switch, string key, string group, Type type, string defaultText, string meaning) =>
        new(@switch, key, group, type, defaultText, meaning);

    private static string Shown(object? value) => value switch
    {
        null => throw new ArgumentException("an option without a default must say what happens when it is unset"),
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
