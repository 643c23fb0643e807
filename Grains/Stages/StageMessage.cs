namespace Cluster.Grains.Stages;

/// <summary>
/// One sequence's step through one stage: a prefill chunk or a decode token. Carries token ids
/// (stage 0) or the previous stage's activations as raw bytes (Orleans copies a <c>float[]</c>
/// element by element), plus a few integers. Never K/V, never logits: pages stay on their stage
/// and sampling happens on the last one.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-message")]
public sealed record StageMessage
{
    /// <summary>The sequence grain's key.</summary>
    [Id(0)] public required string SequenceId { get; init; }

    /// <summary>Tokens of the sequence already in this stage's pages (the first new token's position).</summary>
    [Id(1)] public required int CachedTokens { get; init; }

    [Id(2)] public required int TokenCount { get; init; }

    /// <summary>Token ids, to stage 0 only.</summary>
    [Id(3)] public int[]? TokenIds { get; init; }

    /// <summary>
    /// Activations in the pipeline's dtype, to later stages: rows of positions [CachedTokens, CachedTokens + TokenCount),
    /// or in a replay only those from the receiving stage's <see cref="ComputeFrom"/> start.
    /// </summary>
    [Id(4)] public byte[]? Hidden { get; init; }

    /// <summary>The last chunk of the prompt or a decode step: the last stage samples a token from its final row.</summary>
    [Id(5)] public bool Sample { get; init; }

    /// <summary>The stages of the plan the sequence runs on: a stage activated for another plan refuses the step.</summary>
    [Id(6)] public required int StageCount { get; init; }

    /// <summary>
    /// The sequence's attempt: it rises with each replay, and a stage drops steps of an older one
    /// (a step sent before a silo died must not write K/V over the replay's).
    /// </summary>
    [Id(7)] public int Epoch { get; init; }

    /// <summary>
    /// A replay's plan (<see cref="Sequences.ReplayPlan"/>): the first position each stage computes,
    /// by stage index. A stage computes only the chunk's rows from its own start (it holds the K/V
    /// of those before) and sends on only the rows from the next stage's start, out of its
    /// activation log where it did not compute them; <see cref="Hidden"/> and the work begin there.
    /// Null outside a replay: every stage computes every row.
    /// </summary>
    [Id(8)] public int[]? ComputeFrom { get; init; }

    /// <summary>
    /// Pages stages added to the sequence's tables for this step, by stage index (null where a
    /// stage added none; null in all when none did): the sequence learns of its pages' growth
    /// with the token, without a round trip of its own.
    /// </summary>
    [Id(9)] public int[]?[]? GrownPages { get; init; }

    /// <summary>When the sender handed the message to Orleans (UTC ticks), for the hop-latency histogram.</summary>
    [Id(20)] public long SentAtTicks { get; init; }

    /// <summary>The sending stage's metric labels; null when the sequence grain sends (to stage 0).</summary>
    [Id(21)] public Telemetry.StageLabels? From { get; init; }

    /// <summary>Bytes of payload (ids or activations) the message carries.</summary>
    public int PayloadBytes => (Hidden?.Length ?? 0) + (TokenIds?.Length ?? 0) * sizeof(int);
}
