namespace Cluster.Grains.Telemetry;

/// <summary>
/// One replica's requests as its last stage's silo sees them (its sequence grains live there):
/// running and waiting now, tokens generated since start, and recent latencies.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.serving-figures")]
public sealed record ServingFigures
{
    [Id(0)] public long Running { get; init; }

    [Id(1)] public long Waiting { get; init; }

    /// <summary>Tokens sampled since the silo started: the difference of two readings over their interval is tokens/s.</summary>
    [Id(2)] public long GeneratedTokens { get; init; }

    /// <summary>Mean time to first token (arrival to first token) of requests whose first token came in the last window.</summary>
    [Id(3)] public double? TimeToFirstTokenMs { get; init; }

    /// <summary>Mean time per output token after the first, of requests that finished in the last window.</summary>
    [Id(4)] public double? TimePerOutputTokenMs { get; init; }

    [Id(5)] public long FinishedRequests { get; init; }
}
