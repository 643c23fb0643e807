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
    /// the embedded default (random weights in stories260K's shape, no file needed) when no
    /// <see cref="EmbeddingModel"/> is set either (see <see cref="ServesGenerationModel"/>).
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// Whether this silo serves a generation model: one is named, or nothing is, and the embedded
    /// default runs so that a silo started bare still answers. A silo given only an
    /// <see cref="EmbeddingModel"/> serves that alone: no decoder loaded, no stages advertised.
    /// </summary>
    public bool ServesGenerationModel => Model is not null || EmbeddingModel is null;

    /// <summary>An explicit tokenizer file; by default the one that belongs to the model.</summary>
    public string? Tokenizer { get; set; }

    /// <summary>The model's name in grain keys; by default the shape or file name.</summary>
    public string? ModelName { get; set; }

    /// <summary>
    /// The context length served (prompt and output together), overriding the model file's
    /// (vLLM's <c>--max-model-len</c>, llama.cpp's <c>-c</c>); unset: the model's own. Above the
    /// trained length the model still runs (rotary positions are computed, not tabled) but its
    /// text may degrade, and the silo warns.
    /// </summary>
    public int? MaxModelLen { get; set; }

    /// <summary>"cpu" or "cuda:N".</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>A BERT sentence-embedding model (Hugging Face directory) served at <c>/v1/embeddings</c>, beside the generation model or (without <see cref="Model"/>) alone; none when unset.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>The embedding model's id clients send as <c>model</c>; unset: its directory's name.</summary>
    public string? EmbeddingModelName { get; set; }

    /// <summary>Stages the encoder's layers are cut into (balanced), each a grain forwarding activations to the next.</summary>
    public int EmbeddingStages { get; set; } = 1;

    /// <summary>Token budget of one encoder pass: concurrent requests are gathered into one padded batch of at most this many tokens.</summary>
    public int EmbeddingMaxBatchTokens { get; set; } = 16384;

    /// <summary>Compute dtype: float32 (CPU default), bfloat16 or float16; activations travel in it too.</summary>
    public string Dtype { get; set; } = "float32";

    /// <summary>Tokens per KV page.</summary>
    public int PageSize { get; set; } = 16;

    /// <summary>Pages per stage; when unset, as many as <see cref="KvCacheMb"/> holds.</summary>
    public int? PageCount { get; set; }

    /// <summary>Memory for each stage's K/V pages; when unset too, sized from the memory left on the device (<see cref="KvCacheMemoryFraction"/>).</summary>
    public int? KvCacheMb { get; set; }

    /// <summary>
    /// Without <see cref="KvCacheMb"/> or <see cref="PageCount"/>: the share of the memory left on a
    /// device once a stage's weights are loaded (on the CPU: available RAM, within the cgroup's
    /// limit) that K/V pages take, shared by the stages this silo hosts.
    /// </summary>
    public double KvCacheMemoryFraction { get; set; } = 0.5;

    /// <summary>Sizing from memory takes no more pages than this many sequences at full context use.</summary>
    public int KvCacheMaxSequences { get; set; } = 256;

    /// <summary>CPU weights and K/V pages in 2 MiB pages where Linux grants them (see <see cref="Engine.Execution.StageExecutorOptions.HugePages"/>).</summary>
    public bool HugePages { get; set; } = true;

    /// <summary>Token budget of one forward pass.</summary>
    public int MaxBatchTokens { get; set; } = 2048;

    /// <summary>Prompts longer than this go through the pipeline in chunks of this many tokens.</summary>
    public int PrefillChunkTokens { get; set; } = 512;

    /// <summary>Explicit plan: the layers this silo hosts, e.g. <c>0-1</c> or <c>0-1,4</c>; each range is one stage.</summary>
    public string? Layers { get; set; }

    /// <summary>Explicit plan by stage: the stages this silo hosts out of a split into <see cref="StageCount"/> balanced stages (<see cref="Cluster.Engine.Model.StageCost"/>).</summary>
    public string? Stages { get; set; }

    /// <summary>Stages of the balanced split (with <see cref="Stages"/>, or alone: this silo hosts them all).</summary>
    public int StageCount { get; set; } = 1;

    /// <summary>Automatic plan: the layers are split over all automatic silos by the device memory they offer.</summary>
    public bool Auto { get; set; }

    /// <summary>Automatic plan: silos that must have joined before the layers are split (the split depends on them all).</summary>
    public int ExpectedSilos { get; set; } = 1;

    /// <summary>Device memory offered to the automatic plan; by default what the runtime reports.</summary>
    public long? DeviceMemoryMb { get; set; }

    /// <summary>
    /// A spare: hosts no layers while the plan is whole, and takes over the range of a silo that
    /// leaves (explicit plans only), loading those layers when the stage is placed on it again.
    /// </summary>
    public bool Spare { get; set; }

    /// <summary>Pipelines of the model in the cluster.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>The one replica this silo serves; all when unset.</summary>
    public int? Replica { get; set; }

    /// <summary>How long a new sequence waits for free pages before it fails.</summary>
    public double AdmissionTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Share of a stage's pages a new sequence must leave free when others hold pages there
    /// (vLLM's watermark): sequences grow a page at a time as they generate, and admitting one
    /// that leaves nothing to grow into would only preempt it, or another, at once.
    /// </summary>
    public double KvCacheWatermark { get; set; } = 0.01;

    /// <summary>How long a sequence waits for one step (a prefill chunk or a decode token) before it fails.</summary>
    public double StepTimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// New sequences of one replica that may wait for KV pages (on the replica's last-stage silo,
    /// where its sequences live); one more is refused at once with <c>ClusterOverloadedException</c>.
    /// </summary>
    public int MaxQueuedRequests { get; set; } = 64;

    /// <summary>
    /// How long a sequence waits for a step before it checks that every stage's silo is still a
    /// member; one that is gone (or a step over <see cref="StepTimeoutSeconds"/>) starts a replay.
    /// </summary>
    public double StallCheckSeconds { get; set; } = 1;

    /// <summary>Replays one sequence may make (after a silo dies or a step is lost) before it fails.</summary>
    public int MaxRecoveries { get; set; } = 3;

    /// <summary>
    /// A stage frees the pages of a sequence it has not heard from (step, reservation or keep-alive)
    /// for this long: the sequence grain died with its silo and nobody else will free them.
    /// </summary>
    public double PageLeaseSeconds { get; set; } = 60;

    /// <summary>
    /// Host memory each stage but the last may use to keep the activations it sent on (per
    /// sequence, until its pages are freed): when the next stage's silo dies, they are sent to its
    /// replacement again, so the stages before it need not recompute the sequence's history. 0
    /// turns it off (a replay then recomputes on every stage before the lost one).
    /// </summary>
    public int ActivationLogMb { get; set; } = 512;

    /// <summary>
    /// How long after a silo's estimated failure time the grain directory holds back new
    /// activations of the grains it hosted (a guard against duplicates should the silo still be
    /// alive after all). Its stages are placed again only after this; Orleans' default is
    /// longer than failure detection itself.
    /// </summary>
    public double DirectoryLeaseSeconds { get; set; } = 5;

    /// <summary>On graceful shutdown, how long running sequences may take to finish before the rest are left to replay elsewhere.</summary>
    public double DrainTimeoutSeconds { get; set; } = 20;

    /// <summary>How long a stage or sequence waits for the silos to form a whole pipeline.</summary>
    public double PlanTimeoutSeconds { get; set; } = 60;

    /// <summary>Stages serialize every message they receive once more to count its bytes (tests and experiments).</summary>
    public bool MeasureWireBytes { get; set; }

    /// <summary>Orleans' message body limit, raised for long prefill chunks (set the client's the same).</summary>
    public int MaxMessageBodyMb { get; set; } = 256;
}
