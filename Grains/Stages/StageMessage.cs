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

    /// <summary>Activations (TokenCount, hidden) in the pipeline's dtype, to later stages.</summary>
    [Id(4)] public byte[]? Hidden { get; init; }

    /// <summary>The last chunk of the prompt or a decode step: the last stage samples a token from its final row.</summary>
    [Id(5)] public bool Sample { get; init; }

    /// <summary>The stages of the plan the sequence runs on: a stage activated for another plan refuses the step.</summary>
    [Id(6)] public required int StageCount { get; init; }

    /// <summary>When the sender handed the message to Orleans (UTC ticks), for the hop-latency histogram.</summary>
    [Id(20)] public long SentAtTicks { get; init; }

    /// <summary>The sending stage's metric labels; null when the sequence grain sends (to stage 0).</summary>
    [Id(21)] public Telemetry.StageLabels? From { get; init; }

    /// <summary>Bytes of payload (ids or activations) the message carries.</summary>
    public int PayloadBytes => (Hidden?.Length ?? 0) + (TokenIds?.Length ?? 0) * sizeof(int);
}
