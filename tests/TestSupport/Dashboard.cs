using System.Text.Json.Nodes;

namespace Cluster.TestSupport;

/// <summary>The Grafana dashboard file and the PromQL it runs.</summary>
public static class Dashboard
{
    public static JsonNode Load() =>
        JsonNode.Parse(File.ReadAllText(Repository.Path("k8s", "base", "grafana", "cluster-dashboard.json")))
        ?? throw new InvalidOperationException("empty dashboard");

    /// <summary>Every panel target's <c>expr</c> (rows nest panels too).</summary>
    public static IReadOnlyList<string> Expressions(JsonNode dashboard) =>
        Panels(dashboard["panels"])
            .SelectMany(p => p["targets"]?.AsArray().OfType<JsonObject>() ?? [])
            .Select(t => (string?)t["expr"])
            .OfType<string>()
            .ToList();

    /// <summary>The queries of query-type template variables (label_values(...) and the like).</summary>
    public static IReadOnlyList<string> VariableQueries(JsonNode dashboard) =>
        (dashboard["templating"]?["list"]?.AsArray().OfType<JsonObject>() ?? [])
            .Where(v => (string?)v["type"] == "query")
            .Select(v => v["query"] is JsonObject q ? (string?)q["query"] : (string?)v["query"])
            .OfType<string>()
            .ToList();

    private static IEnumerable<JsonObject> Panels(JsonNode? panels)
    {
        foreach (var panel in panels?.AsArray().OfType<JsonObject>() ?? [])
        {
            yield return panel;
            foreach (var inner in Panels(panel["panels"])) yield return inner;
        }
    }
}
