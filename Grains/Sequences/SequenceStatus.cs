namespace Cluster.Grains.Sequences;

/// <summary>A sequence as its grain holds it: where it lives, its page tables and its whole history.</summary>
[GenerateSerializer, Immutable, Alias("cluster.sequence-status")]
public sealed record SequenceStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] int[][] PageTables,
    [property: Id(2)] int[] PromptTokenIds,
    [property: Id(3)] int[] OutputTokenIds,
    [property: Id(4)] bool Finished)
{
    /// <summary>Replays the sequence made (a stage's silo died, or a step went unanswered).</summary>
    [Id(5)] public int Recoveries { get; init; }

    /// <summary>Times the sequence gave way to others (a stage ran out of pages) and recomputed its history.</summary>
    [Id(6)] public int Preemptions { get; init; }
}
