using System.Text.Json.Serialization;

namespace Cluster.ServingBench.Statistics;

/// <summary>One latency distribution in milliseconds, summarised as vLLM's bench prints it.</summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("mean_ms")] double Mean,
    [property: JsonPropertyName("median_ms")] double Median,
    [property: JsonPropertyName("std_ms")] double StandardDeviation,
    [property: JsonPropertyName("p90_ms")] double P90,
    [property: JsonPropertyName("p99_ms")] double P99,
    [property: JsonPropertyName("count")] int Count)
{
    public static LatencySummary Of(IEnumerable<double> millis)
    {
        var sorted = millis.Order().ToList();
        if (sorted.Count == 0)
            return new LatencySummary(0, 0, 0, 0, 0, 0);
        double mean = sorted.Average();
        // Population standard deviation, as numpy's std.
        double std = Math.Sqrt(sorted.Sum(x => (x - mean) * (x - mean)) / sorted.Count);
        return new LatencySummary(mean, Percentiles.Of(sorted, 50), std, Percentiles.Of(sorted, 90), Percentiles.Of(sorted, 99), sorted.Count);
    }
}
