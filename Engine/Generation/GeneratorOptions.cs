namespace Cluster.Engine.Generation;

/// <summary>Scheduling limits of the single-process generator.</summary>
public sealed record GeneratorOptions
{
    /// <summary>Tokens per forward pass; a prompt longer than what is left is prefilled in chunks.</summary>
    public int MaxBatchTokens { get; init; } = 2048;

    /// <summary>Sequences running at once; more wait for a slot (and for pages).</summary>
    public int MaxRunningSequences { get; init; } = 64;
}
