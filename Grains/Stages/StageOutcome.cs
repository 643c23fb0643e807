namespace Cluster.Grains.Stages;

/// <summary>
/// What the last stage tells the sequence grain (on the same silo) after a step: the tokens now
/// computed, the sampled token when the step asked for one, or the error that stopped the step.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-outcome")]
public sealed record StageOutcome
{
    [Id(0)] public required string SequenceId { get; init; }

    /// <summary>Tokens of the sequence whose K/V every stage now holds.</summary>
    [Id(1)] public required int ComputedTokens { get; init; }

    [Id(2)] public int? TokenId { get; init; }

    [Id(3)] public float Logprob { get; init; }

    /// <summary>Set when a stage failed the step; the sequence stops with this message.</summary>
    [Id(4)] public string? Error { get; init; }

    /// <summary>The most likely alternatives, when the request asked for them.</summary>
    [Id(5)] public int[] TopTokenIds { get; init; } = [];

    [Id(6)] public float[] TopLogprobs { get; init; } = [];

    /// <summary>The attempt (<see cref="StageMessage.Epoch"/>) of the step: reports of an older one are ignored.</summary>
    [Id(7)] public int Epoch { get; init; }

    /// <summary>Pages the stages added to the sequence's tables for the step (<see cref="StageMessage.GrownPages"/>).</summary>
    [Id(8)] public int[]?[]? GrownPages { get; init; }

    /// <summary>When the last stage sent the report (UTC ticks), for its hop-latency histogram.</summary>
    [Id(20)] public long SentAtTicks { get; init; }

    /// <summary>The last stage's metric labels.</summary>
    [Id(21)] public Telemetry.StageLabels? From { get; init; }
}
