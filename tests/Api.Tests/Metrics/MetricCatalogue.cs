using System.Text.RegularExpressions;

namespace Cluster.Api.Tests.Metrics;

/// <summary>The Prometheus names and types listed in docs/metrics.md's tables.</summary>
public static partial class MetricCatalogue
{
    public static IReadOnlyList<(string Name, string Type)> Load()
    {
        var path = Repository.Path("docs", "metrics.md");
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
