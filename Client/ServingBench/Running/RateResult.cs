using System.Text.Json.Serialization;
using Cluster.ServingBench.Statistics;

namespace Cluster.ServingBench.Running;

/// <summary>One run of the benchmark at one request rate.</summary>
public sealed record RateResult(
    [property: JsonPropertyName("request_rate")] string RequestRate,
    [property: JsonPropertyName("max_concurrency")] int? MaxConcurrency,
    [property: JsonPropertyName("metrics")] BenchmarkMetrics Metrics,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors)
{
    [JsonIgnore] public double Rate => RequestRate == "inf" ? double.PositiveInfinity : double.Parse(RequestRate, System.Globalization.CultureInfo.InvariantCulture);
}
