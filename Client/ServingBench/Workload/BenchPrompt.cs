namespace Cluster.ServingBench.Workload;

/// <summary>One request of the workload: its text, its intended prompt length in tokens, and the max_tokens sent.</summary>
public sealed record BenchPrompt(string Text, int InputLength, int MaxTokens);
