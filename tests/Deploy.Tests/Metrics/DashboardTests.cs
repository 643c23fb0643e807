namespace Cluster.Deploy.Tests.Metrics;

public sealed class DashboardTests
{
    [Fact]
    public void Expressions_WhenCheckedAgainstTheCatalogue_NameOnlyCataloguedMetrics()
    {
        var catalog = MetricCatalog.Load();
        var dashboard = Dashboard.Load();

        var used = Dashboard.Expressions(dashboard).SelectMany(PromQl.MetricNames)
            .Concat(Dashboard.VariableQueries(dashboard).SelectMany(PromQl.TemplateQueryMetricNames))
            .ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(n => !catalog.Knows(n)).Order());
    }

    [Fact]
    public void Expressions_WhenLoaded_ShowLatencyQuantilesThroughputLoadKvAndPipeline()
    {
        var expressions = Dashboard.Expressions(Dashboard.Load());

        foreach (var histogram in new[] { "gen_ai_server_time_to_first_token_seconds", "gen_ai_server_time_per_output_token_seconds" })
        {
            foreach (var quantile in new[] { "0.5", "0.9", "0.99" })
            {
                Assert.Contains(expressions, e =>
                    e.StartsWith($"histogram_quantile({quantile},", StringComparison.Ordinal)
                    && PromQl.MetricNames(e).Contains(histogram + "_bucket"));
            }
        }
        Assert.Contains(expressions, e => e.Contains("rate(cluster_generation_tokens_total", StringComparison.Ordinal));
        string[] shown =
        [
            "cluster_requests_running", "cluster_requests_waiting", "cluster_kv_cache_usage_ratio",
            "cluster_stage_busy_ratio", "cluster_stage_hop_duration_seconds_bucket",
        ];
        var names = expressions.SelectMany(PromQl.MetricNames).ToHashSet();
        Assert.Subset(names, shown.ToHashSet());
    }

    [Fact]
    public void Panels_WhenLoaded_UseTheDatasourceVariable()
    {
        var dashboard = Dashboard.Load();

        Assert.Contains(Dashboard.VariableQueries(dashboard), q => q.Length > 0);
        var datasources = dashboard["panels"]!.AsArray()
            .Where(p => (string?)p?["type"] != "row")
            .Select(p => (string?)p?["datasource"]?["uid"])
            .Distinct()
            .ToList();
        Assert.Equal(["${datasource}"], datasources);
    }
}
