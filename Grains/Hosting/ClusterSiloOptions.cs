namespace Cluster.Grains.Hosting;

/// <summary>
/// What one silo serves and with which limits; bound from the <c>Cluster</c> configuration
/// section (the silo's command line maps onto it). Ranges are inclusive: <c>0-1</c> is layers
/// (or stages) 0 and 1, <c>4</c> is layer 4 alone; several ranges are separated by commas.
/// </summary>
public sealed class ClusterSiloOptions
{
    public const string Section = "Cluster";

    /// <summary>
    /// A checkpoint path (HF directory, .gguf, llama2.c .bin), <c>synthetic:SHAPE</c>, or unset for
    /// the embedded default (random weights in stories260K's shape, no file needed).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>An explicit tokenizer file; by default the one that belongs to the model.</summary>
    public string? Tokenizer { get; set; }

    /// <summary>The model's name in grain keys; by default the shape or file name.</summary>
    public string? ModelName { get; set; }

    /// <summary>"cpu" or "cuda:N".</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Compute dtype: float32 (CPU default), bfloat16 or float16; activations travel in it too.</summary>
    public string Dtype { get; set; } = "float32";

    /// <summary>Tokens per KV page.</summary>
    public int PageSize { get; set; } = 16;

    /// <summary>Pages per stage; when unset, as many as <see cref="KvCacheMb"/> holds.</summary>
    public int? PageCount { get; set; }

    /// <summary>Memory for each stage's K/V pages.</summary>
    public int KvCacheMb { get; set; } = 64;

    /// <summary>Token budget of one forward pass.</summary>
    public int MaxBatchTokens { get; set; } = 2048;

    /// <summary>Prompts longer than this go through the pipeline in chunks of this many tokens.</summary>
    public int PrefillChunkTokens { get; set; } = 512;

    /// <summary>Explicit plan: the layers this silo hosts, e.g. <c>0-1</c> or <c>0-1,4</c>; each range is one stage.</summary>
    public string? Layers { get; set; }

    /// <summary>Explicit plan by stage: the stages this silo hosts out of <see cref="StageCount"/> even splits.</summary>
    public string? Stages { get; set; }

    /// <summary>Stages of the even split (with <see cref="Stages"/>, or alone: this silo hosts them all).</summary>
    public int StageCount { get; set; } = 1;

    /// <summary>Automatic plan: the layers are split over all automatic silos by the device memory they offer.</summary>
    public bool Auto { get; set; }

    /// <summary>Automatic plan: silos that must have joined before the layers are split (the split depends on them all).</summary>
    public int ExpectedSilos { get; set; } = 1;

    /// <summary>Device memory offered to the automatic plan; by default what the runtime reports.</summary>
    public long? DeviceMemoryMb { get; set; }

    /// <summary>Pipelines of the model in the cluster.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>The one replica this silo serves; all when unset.</summary>
    public int? Replica { get; set; }

    /// <summary>How long a new sequence waits for free pages before it fails.</summary>
    public double AdmissionTimeoutSeconds { get; set; } = 30;

    /// <summary>How long a sequence waits for one step (a prefill chunk or a decode token) before it fails.</summary>
    public double StepTimeoutSeconds { get; set; } = 120;

    /// <summary>How long a stage or sequence waits for the silos to form a whole pipeline.</summary>
    public double PlanTimeoutSeconds { get; set; } = 60;

    /// <summary>Stages serialize every message they receive once more to count its bytes (tests and experiments).</summary>
    public bool MeasureWireBytes { get; set; }

    /// <summary>Orleans' message body limit, raised for long prefill chunks (set the client's the same).</summary>
    public int MaxMessageBodyMb { get; set; } = 256;
}
