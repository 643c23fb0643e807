namespace Cluster.Engine.Sampling;

// Placeholder until the sampling branch lands.
public sealed record SamplingParams
{
    public double Temperature { get; init; }
}
