namespace Cluster.Engine.Sampling;

// Placeholder until the sampling branch lands.
public sealed record SampledToken(int TokenId, float Logprob);
