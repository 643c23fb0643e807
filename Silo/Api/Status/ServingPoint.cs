namespace Cluster.Silo.Api.Status;

/// <summary>The cluster's serving figures at one moment: requests running and waiting, output tokens/s since the previous point, and recent latencies.</summary>
public sealed record ServingPoint(DateTimeOffset At, long Running, long Waiting, double TokensPerSecond, double? TimeToFirstTokenMs, double? TimePerOutputTokenMs);
