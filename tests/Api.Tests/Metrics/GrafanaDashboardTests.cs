using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

using GrafanaDashboard = Cluster.TestSupport.Dashboard;

namespace Cluster.Api.Tests.Metrics;

/// <summary>
/// The Grafana dashboard in <c>k8s/</c> against what a real silo exports: every series a panel or
/// variable queries is in a live scrape (after traffic), and the pipeline panels show every
/// per-stage figure the live page shows.
/// </summary>
public sealed class GrafanaDashboardTests(EmbeddedSiloServer server) : IClassFixture<EmbeddedSiloServer>
{
    /// <summary>The per-stage figures of the live page, as the series that carry them.</summary>
    private static readonly string[] StageFigures =
    [
        "cluster_stage_batch_size_sum", "cluster_stage_queue_depth", "cluster_stage_busy_ratio",
        "cluster_stage_forward_duration_seconds_bucket", "cluster_stage_hop_duration_seconds_bucket",
        "cluster_stage_pages_used", "cluster_stage_pages_cached", "cluster_stage_pages_free",
    ];

    [Fact]
    public async Task Dashboard_WhenHeldToALiveScrape_QueriesOnlySeriesTheSiloExports()
    {
        await ServeTrafficAsync();
        var exported = SeriesNames(await server.Http.GetStringAsync("/metrics"));
        var dashboard = GrafanaDashboard.Load();
        var queried = GrafanaDashboard.Expressions(dashboard).SelectMany(PromQl.MetricNames)
            .Concat(GrafanaDashboard.VariableQueries(dashboard).SelectMany(PromQl.TemplateQueryMetricNames))
            .ToHashSet();

        Assert.NotEmpty(queried);
        var missing = queried.Where(n => !exported.Contains(n)).Order().ToList();
        Assert.True(missing.Count == 0, $"the dashboard queries series the silo does not export: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Dashboard_WhenLoaded_HasAPanelForEveryPerStageFigure()
    {
        await ServeTrafficAsync();
        var exported = SeriesNames(await server.Http.GetStringAsync("/metrics"));
        var queried = GrafanaDashboard.Expressions(GrafanaDashboard.Load()).SelectMany(PromQl.MetricNames).ToHashSet();

        Assert.Subset(exported, StageFigures.ToHashSet());
        Assert.Subset(queried, StageFigures.ToHashSet());
    }

    private async Task ServeTrafficAsync()
    {
        string model = (string)JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!["data"]![0]!["id"]!;
        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = model, ["prompt"] = "Once upon a time", ["max_tokens"] = 6, ["temperature"] = 0,
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The series names of a Prometheus exposition (histograms give their _bucket, _sum and _count).</summary>
    private static HashSet<string> SeriesNames(string scrape) => scrape.Split('\n')
        .Where(l => l.Length > 0 && l[0] != '#')
        .Select(l => l[..l.IndexOfAny(['{', ' '])])
        .ToHashSet(StringComparer.Ordinal);
}
