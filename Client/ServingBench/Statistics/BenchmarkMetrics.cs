using System.Text.Json.Serialization;

namespace Cluster.ServingBench.Statistics;

/// <summary>The figures of one benchmark run (one request rate), computed from its request outcomes.</summary>
public sealed record BenchmarkMetrics
{
    [JsonPropertyName("completed")] public int Completed { get; init; }

    [JsonPropertyName("failed")] public int Failed { get; init; }

    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }

    [JsonPropertyName("total_input_tokens")] public long TotalInputTokens { get; init; }

    [JsonPropertyName("total_output_tokens")] public long TotalOutputTokens { get; init; }

    [JsonPropertyName("request_throughput")] public double RequestThroughput { get; init; }

    [JsonPropertyName("output_throughput")] public double OutputThroughput { get; init; }

    [JsonPropertyName("total_token_throughput")] public double TotalTokenThroughput { get; init; }

    /// <summary>Requests per second that met every SLO; null when no SLO was given.</summary>
    [JsonPropertyName("request_goodput")] public double? Goodput { get; init; }

    [JsonPropertyName("ttft")] public required LatencySummary Ttft { get; init; }

    [JsonPropertyName("tpot")] public required LatencySummary Tpot { get; init; }

    [JsonPropertyName("itl")] public required LatencySummary Itl { get; init; }

    [JsonPropertyName("e2el")] public required LatencySummary E2el { get; init; }

    public static BenchmarkMetrics Compute(IReadOnlyList<RequestOutcome> outcomes, TimeSpan duration, Slo slo)
    {
        var done = outcomes.Where(o => o.Success).ToList();
        double seconds = Math.Max(duration.TotalSeconds, 1e-9);
        long input = done.Sum(o => (long)o.PromptTokens), output = done.Sum(o => (long)o.OutputTokens);
        return new BenchmarkMetrics
        {
            Completed = done.Count,
            Failed = outcomes.Count - done.Count,
            DurationSeconds = duration.TotalSeconds,
            TotalInputTokens = input,
            TotalOutputTokens = output,
            RequestThroughput = done.Count / seconds,
            OutputThroughput = output / seconds,
            TotalTokenThroughput = (input + output) / seconds,
            Goodput = slo.IsEmpty ? null : done.Count(slo.IsMetBy) / seconds,
            Ttft = LatencySummary.Of(done.Select(o => o.TtftMs)),
            // A one-token answer has no time per output token; vLLM leaves it out likewise.
            Tpot = LatencySummary.Of(done.Where(o => o.OutputTokens > 1).Select(o => o.TpotMs)),
            Itl = LatencySummary.Of(done.SelectMany(o => o.ItlMs)),
            E2el = LatencySummary.Of(done.Select(o => o.E2elMs)),
        };
    }
}
