namespace Cluster.ServingBench.Workload;

/// <summary>One request of the workload: its text, its intended prompt length in tokens, and the max_tokens sent.</summary>
public sealed record BenchPrompt(string Text, int InputLength, int MaxTokens)
{
    /// <summary>The request's sampling seed when it samples (temperature above 0): the same workload draws the same outputs on every run.</summary>
    public int Seed { get; init; }
}
