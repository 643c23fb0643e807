namespace Cluster.Deploy.Tests.Metrics;

public sealed class PromQlTests
{
    [Fact]
    public void MetricNames_WhenHistogramQuantile_ReturnsOnlyTheBucketSeries()
    {
        var names = PromQl.MetricNames(
            "histogram_quantile(0.99, sum by (le, stage) (rate(foo_seconds_bucket{model=~\"$model\", a=\"b(c)\"}[$__rate_interval])))");

        Assert.Equal(["foo_seconds_bucket"], names);
    }

    [Fact]
    public void MetricNames_WhenBinaryExpressionWithTrailingGrouping_ReturnsBothOperands()
    {
        var names = PromQl.MetricNames(
            "sum(rate(hits_total[5m])) by (replica) / on (replica) group_left sum(rate(queries_total[5m] offset 1h)) by (replica) > bool 0.5");

        Assert.Equal(["hits_total", "queries_total"], names.Order());
    }

    [Fact]
    public void MetricNames_WhenBareSelector_ReturnsIt()
    {
        Assert.Equal(["up"], PromQl.MetricNames("up"));
    }

    [Fact]
    public void TemplateQueryMetricNames_WhenLabelValuesOverASeries_ReturnsTheSeriesNotTheLabel()
    {
        Assert.Equal(["cluster_x_info"], PromQl.TemplateQueryMetricNames("label_values(cluster_x_info{a=\"b\"}, model)"));
        Assert.Empty(PromQl.TemplateQueryMetricNames("label_values(model)"));
    }
}
