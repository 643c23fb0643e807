namespace Cluster.TestSupport;

/// <summary>One row of a metric table in docs/metrics.md.</summary>
public sealed record CatalogEntry(
    string Section,
    string OtelName,
    string PrometheusName,
    string Type,
    string Unit,
    IReadOnlyList<string> Labels);
