namespace Cluster.Grains.Stages;

/// <summary>A stage's figures for routing, tests and dashboards.</summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-status")]
public sealed record StageStatus
{
    [Id(0)] public required string Key { get; init; }

    [Id(1)] public required string Silo { get; init; }

    [Id(2)] public required int FirstLayer { get; init; }

    /// <summary>One past the stage's last layer.</summary>
    [Id(3)] public required int EndLayer { get; init; }

    [Id(4)] public required int PageCount { get; init; }

    [Id(5)] public required int FreePages { get; init; }

    /// <summary>Tokens per page: <see cref="PageCount"/> × this is the KV capacity in tokens.</summary>
    [Id(37)] public int PageSize { get; init; }

    /// <summary>Memory the stage's K/V pages take.</summary>
    [Id(38)] public long KvCacheBytes { get; init; }

    /// <summary>The longest sequence served (the context length), for the concurrency the pool allows at full context.</summary>
    [Id(39)] public int ContextTokens { get; init; }

    /// <summary>Sequences of <see cref="ContextTokens"/> the pool holds at once (vLLM's "maximum concurrency").</summary>
    [Id(40)] public double MaxConcurrency { get; init; }

    /// <summary>Sequences holding pages here.</summary>
    [Id(6)] public required int Sequences { get; init; }

    /// <summary>Work items waiting for the executor's next pass.</summary>
    [Id(7)] public required int QueueDepth { get; init; }

    [Id(8)] public required long Batches { get; init; }

    /// <summary>Sequence-steps run over all batches.</summary>
    [Id(9)] public required long SequenceSteps { get; init; }

    [Id(10)] public required int LargestBatch { get; init; }

    [Id(11)] public required long MessagesIn { get; init; }

    /// <summary>Serialized bytes of the stage messages received (what crossed the wire to this stage).</summary>
    [Id(12)] public required long WireBytesIn { get; init; }

    /// <summary>Serialized size of the largest decode-step message received (one token of one sequence).</summary>
    [Id(13)] public required int LargestDecodeMessageBytes { get; init; }

    /// <summary>Serialized size of the smallest decode-step message received.</summary>
    [Id(14)] public required int SmallestDecodeMessageBytes { get; init; }

    [Id(15)] public required int HiddenSize { get; init; }

    /// <summary>The device the stage's layers and pages live on ("cpu", "cuda:N").</summary>
    [Id(16)] public string Device { get; init; } = "";

    /// <summary>
    /// Most sequences one pass takes: a stage's share of the sequences holding pages here when the
    /// pipeline has several stages (one group per stage in flight), unbounded (int.MaxValue) with one.
    /// </summary>
    [Id(36)] public int MaxPassSequences { get; init; }

    /// <summary>Sequences whose pages this stage freed because their lease ran out (their sequence grain was gone).</summary>
    [Id(30)] public long LeaseExpiries { get; init; }

    /// <summary>Positions computed by this stage's passes, all sequences together (a replay's skipped rows are not).</summary>
    [Id(33)] public long RowsComputed { get; init; }

    /// <summary>Rows sent on again from the activation log in replays, instead of being recomputed.</summary>
    [Id(34)] public long RowsResent { get; init; }

    /// <summary>Host memory held by the stage's activation logs.</summary>
    [Id(35)] public long ActivationLogBytes { get; init; }

    /// <summary>What the stage is doing now (recent passes, hops, pool), for the live cluster page.</summary>
    [Id(41)] public StageLiveFigures? Live { get; init; }

    /// <summary>The silo process's working set, for leak checks.</summary>
    [Id(31)] public long ProcessWorkingSetBytes { get; init; }

    /// <summary>The silo's managed heap after the last collection, for leak checks.</summary>
    [Id(32)] public long ManagedHeapBytes { get; init; }
}
