namespace Cluster.Engine.Sampling;

// Placeholder until the sampling branch lands.
public sealed record SamplingContext(IReadOnlyList<int> PromptTokens, IReadOnlyList<int> OutputTokens, int Step);
