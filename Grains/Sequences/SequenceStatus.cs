namespace Cluster.Grains.Sequences;

/// <summary>A sequence as its grain holds it: where it lives, its page tables and its whole history.</summary>
[GenerateSerializer, Immutable, Alias("cluster.sequence-status")]
public sealed record SequenceStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] int[][] PageTables,
    [property: Id(2)] int[] PromptTokenIds,
    [property: Id(3)] int[] OutputTokenIds,
    [property: Id(4)] bool Finished);
