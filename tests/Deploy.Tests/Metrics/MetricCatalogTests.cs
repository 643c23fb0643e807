namespace Cluster.Deploy.Tests.Metrics;

public sealed class MetricCatalogTests
{
    private static readonly string[] StageLabels = ["model", "replica", "stage", "layers", "device"];

    [Fact]
    public void Load_WhenDocsRead_ListsTheGenAiServingAndStageMetrics()
    {
        var names = MetricCatalog.Load().Entries.Select(e => e.PrometheusName).ToHashSet();

        string[] required =
        [
            "gen_ai_server_time_to_first_token_seconds",
            "gen_ai_server_time_per_output_token_seconds",
            "gen_ai_server_request_duration_seconds",
            "gen_ai_client_token_usage",
            "cluster_requests_running",
            "cluster_requests_waiting",
            "cluster_kv_cache_usage_ratio",
            "cluster_cache_config_info",
            "cluster_prompt_tokens_total",
            "cluster_generation_tokens_total",
            "cluster_requests_finished_total",
            "cluster_preemptions_total",
            "cluster_prefix_cache_queries_total",
            "cluster_prefix_cache_hits_total",
            "cluster_request_queue_time_seconds",
            "cluster_request_prefill_time_seconds",
            "cluster_request_decode_time_seconds",
            "cluster_stage_batch_size",
            "cluster_stage_queue_depth",
            "cluster_stage_forward_duration_seconds",
            "cluster_stage_hop_duration_seconds",
            "cluster_stage_busy_ratio",
            "cluster_stage_pages_used",
            "cluster_stage_pages_free",
        ];
        Assert.Subset(names, required.ToHashSet());
    }

    [Fact]
    public void Load_WhenDocsRead_EveryPrometheusNameFollowsFromItsInstrument()
    {
        var mismatches = MetricCatalog.Load().Entries
            .Where(e => MetricCatalog.PrometheusNameFor(e.OtelName, e.Unit, e.Type) != e.PrometheusName)
            .Select(e => $"{e.OtelName} ({e.Type}, {e.Unit}) -> {e.PrometheusName}")
            .ToList();

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Load_WhenDocsRead_NamesAreUniqueAndTypesKnown()
    {
        var entries = MetricCatalog.Load().Entries;

        Assert.NotEmpty(entries);
        Assert.Empty(entries.GroupBy(e => e.PrometheusName).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(entries, e => Assert.Contains(e.Type, new[] { "histogram", "counter", "gauge" }));
        Assert.All(entries, e => Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", e.PrometheusName));
    }

    [Fact]
    public void Load_WhenDocsRead_StageMetricsCarryTheStageLabels()
    {
        var stageRows = MetricCatalog.Load().Entries.Where(e => e.PrometheusName.StartsWith("cluster_stage_", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(stageRows);
        Assert.All(stageRows, e => Assert.Superset(StageLabels.ToHashSet(), e.Labels.ToHashSet()));
    }

    [Fact]
    public void Load_WhenDocsRead_GenAiMetricsCarryTheSemanticConventionAttributes()
    {
        var genAi = MetricCatalog.Load().Entries.Where(e => e.OtelName.StartsWith("gen_ai.", StringComparison.Ordinal)).ToList();

        Assert.Equal(4, genAi.Count);
        Assert.All(genAi, e => Assert.Superset(
            new HashSet<string> { "gen_ai_operation_name", "gen_ai_request_model", "gen_ai_provider_name", "gen_ai_system" },
            e.Labels.ToHashSet()));
        Assert.Contains("gen_ai_token_type", genAi.Single(e => e.OtelName == "gen_ai.client.token.usage").Labels);
    }

    [Fact]
    public void Knows_WhenHistogramSeriesSuffix_AcceptsOnlyHistograms()
    {
        var catalog = MetricCatalog.Parse("""
            | OTel instrument | Prometheus name | Type | Unit | Labels | Meaning |
            |---|---|---|---|---|---|
            | `a.latency` | `a_latency_seconds` | histogram | s | x | h |
            | `a.things` | `a_things_total` | counter | {thing} | x | c |
            """);

        Assert.True(catalog.Knows("a_latency_seconds_bucket"));
        Assert.True(catalog.Knows("a_things_total"));
        Assert.False(catalog.Knows("a_things_total_bucket"));
        Assert.False(catalog.Knows("a_latency_seconds_total"));
    }
}
