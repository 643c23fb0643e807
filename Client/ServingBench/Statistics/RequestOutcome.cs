namespace Cluster.ServingBench.Statistics;

/// <summary>
/// What one streamed request measured. Times are milliseconds from sending the request.
/// <see cref="OutputTokens"/> is the server's <c>usage.completion_tokens</c> when it reports
/// usage, otherwise the number of non-empty streamed chunks.
/// </summary>
public sealed record RequestOutcome
{
    public bool Success { get; init; }

    public string? Error { get; init; }

    public int PromptTokens { get; init; }

    public int OutputTokens { get; init; }

    public double TtftMs { get; init; }

    public double E2elMs { get; init; }

    /// <summary>Each gap between consecutive streamed chunks after the first.</summary>
    public IReadOnlyList<double> ItlMs { get; init; } = [];

    /// <summary>Time per output token after the first: (e2e − ttft) / (out − 1); 0 for single-token answers (excluded from TPOT stats).</summary>
    public double TpotMs => OutputTokens > 1 ? (E2elMs - TtftMs) / (OutputTokens - 1) : 0;

    public static RequestOutcome Failed(string error, double elapsedMs) => new() { Success = false, Error = error, E2elMs = elapsedMs };
}
