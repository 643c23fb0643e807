namespace Cluster.Engine.Sampling;

// Placeholder until the sampling branch lands.
public sealed record SamplingParams
{
    public double Temperature { get; init; }
    public long? Seed { get; init; }
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];
    public int MaxTokens { get; init; } = 16;
}
