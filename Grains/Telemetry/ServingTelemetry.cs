using System.Diagnostics;

namespace Cluster.Grains.Telemetry;

/// <summary>
/// The names the silo's telemetry is published under (docs/metrics.md is the catalogue): one
/// meter for every serving instrument, one activity source for request and stage-hop spans.
/// </summary>
public static class ServingTelemetry
{
    public const string MeterName = "Cluster.Serving";

    public const string ActivitySourceName = "Cluster.Serving";

    /// <summary>Spans: one per request, a child per stage step.</summary>
    public static readonly ActivitySource Activities = new(ActivitySourceName);
}
