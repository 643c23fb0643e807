using Cluster.ServingBench.Running;

namespace Cluster.ServingBench.Reporting;

/// <summary>
/// Latency against load for a rate sweep: median and P99 TTFT, TPOT and end-to-end latency over
/// the achieved request throughput (the offered rate is what was asked; throughput is what the
/// server sustained, which is the honest x axis once it saturates).
/// </summary>
public static class LatencyChart
{
    public static void Write(string path, IReadOnlyList<RateResult> results, int width = 900, int height = 600)
    {
        var plot = new ScottPlot.Plot();
        double[] load = results.Select(r => r.Metrics.RequestThroughput).ToArray();
        void Series(string label, Func<RateResult, double> value)
        {
            var scatter = plot.Add.Scatter(load, results.Select(value).ToArray());
            scatter.LegendText = label;
        }
        Series("TTFT median", r => r.Metrics.Ttft.Median);
        Series("TTFT P99", r => r.Metrics.Ttft.P99);
        Series("TPOT median", r => r.Metrics.Tpot.Median);
        Series("TPOT P99", r => r.Metrics.Tpot.P99);
        Series("E2E median", r => r.Metrics.E2el.Median);
        Series("E2E P99", r => r.Metrics.E2el.P99);
        plot.Title("Latency against load");
        plot.XLabel("achieved request throughput (req/s)");
        plot.YLabel("latency (ms)");
        plot.ShowLegend();
        plot.SavePng(path, width, height);
    }
}
