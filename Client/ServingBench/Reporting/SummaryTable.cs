using System.Globalization;
using System.Text;
using Cluster.ServingBench.Running;
using Cluster.ServingBench.Statistics;

namespace Cluster.ServingBench.Reporting;

/// <summary>The result of one rate as vLLM's <c>bench serve</c> prints it.</summary>
public static class SummaryTable
{
    private const int Width = 50;

    public static string Format(RateResult result)
    {
        var m = result.Metrics;
        var text = new StringBuilder();
        text.AppendLine(Title(" Serving Benchmark Result ", '='));
        Row(text, "Request rate (req/s):", result.RequestRate);
        Row(text, "Max concurrency:", result.MaxConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "unlimited");
        Row(text, "Successful requests:", m.Completed);
        Row(text, "Failed requests:", m.Failed);
        Row(text, "Benchmark duration (s):", m.DurationSeconds);
        Row(text, "Total input tokens:", m.TotalInputTokens);
        Row(text, "Total generated tokens:", m.TotalOutputTokens);
        Row(text, "Request throughput (req/s):", m.RequestThroughput);
        if (m.Goodput is double goodput)
            Row(text, "Request goodput (req/s):", goodput);
        Row(text, "Output token throughput (tok/s):", m.OutputThroughput);
        Row(text, "Total token throughput (tok/s):", m.TotalTokenThroughput);
        Latency(text, "Time to First Token", "TTFT", m.Ttft);
        Latency(text, "Time per Output Token (excl. 1st token)", "TPOT", m.Tpot);
        Latency(text, "Inter-token Latency", "ITL", m.Itl);
        Latency(text, "End-to-end Latency", "E2EL", m.E2el);
        text.AppendLine(new string('=', Width));
        foreach (string error in result.Errors)
            text.AppendLine($"error: {error}");
        return text.ToString();
    }

    private static void Latency(StringBuilder text, string title, string name, LatencySummary summary)
    {
        text.AppendLine(Title(title, '-'));
        Row(text, $"Mean {name} (ms):", summary.Mean);
        Row(text, $"Median {name} (ms):", summary.Median);
        Row(text, $"P90 {name} (ms):", summary.P90);
        Row(text, $"P99 {name} (ms):", summary.P99);
    }

    private static string Title(string title, char fill)
    {
        int left = Math.Max(0, (Width - title.Length) / 2);
        return (new string(fill, left) + title).PadRight(Width, fill);
    }

    private static void Row(StringBuilder text, string label, object value)
    {
        string formatted = value switch
        {
            double d => d.ToString("F2", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        text.AppendLine($"{label,-40}{formatted,10}");
    }
}
