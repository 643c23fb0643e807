using System.Text.RegularExpressions;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Metrics;

/// <summary>The Prometheus names and types listed in docs/metrics.md's tables.</summary>
public static partial class MetricCatalogue
{
    public static IReadOnlyList<(string Name, string Type)> Load()
    {
        var path = Path.Combine(SharedModels.RepositoryRoot ?? throw new InvalidOperationException("Cluster.sln not found"), "docs", "metrics.md");
        return File.ReadLines(path)
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["name"].Value, m.Groups["type"].Value))
            .ToList();
    }

    // | `otel.name` | `prometheus_name` | type | ...
    [GeneratedRegex(@"^\|\s*`[^`]+`\s*\|\s*`(?<name>[a-z_:][a-z0-9_:]*)`\s*\|\s*(?<type>histogram|gauge|counter)\s*\|")]
    private static partial Regex Row();
}
