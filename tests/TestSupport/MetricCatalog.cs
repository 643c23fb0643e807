namespace Cluster.TestSupport;

/// <summary>
/// The metric tables of docs/metrics.md: every Markdown table whose header has a
/// "Prometheus name" column. The deployment tests hold the dashboards to it, the API tests a live
/// scrape.
/// </summary>
public sealed class MetricCatalog
{
    private static readonly string[] HistogramSeriesSuffixes = ["_bucket", "_sum", "_count"];

    private MetricCatalog(IReadOnlyList<CatalogEntry> entries) => Entries = entries;

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public static MetricCatalog Load() => Parse(File.ReadAllText(Repository.Path("docs", "metrics.md")));

    public static MetricCatalog Parse(string markdown)
    {
        var entries = new List<CatalogEntry>();
        var section = "";
        Dictionary<string, int>? columns = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal)) section = line[3..].Trim();
            if (!line.StartsWith('|'))
            {
                columns = null;
                continue;
            }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Trim('`').Trim()).ToArray();
            if (columns is null)
            {
                if (cells.Contains("Prometheus name"))
                {
                    columns = cells.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
                }
                continue;
            }
            if (cells.All(c => c.Length > 0 && c.All(ch => ch is '-' or ':'))) continue;
            entries.Add(new CatalogEntry(
                section,
                cells[columns["OTel instrument"]],
                cells[columns["Prometheus name"]],
                cells[columns["Type"]],
                cells[columns["Unit"]],
                cells[columns["Labels"]].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        }
        return new MetricCatalog(entries);
    }

    /// <summary>True when a series name is a catalogued metric, or a histogram's _bucket/_sum/_count.</summary>
    public bool Knows(string series)
    {
        if (Entries.Any(e => e.PrometheusName == series && e.Type != "histogram")) return true;
        return HistogramSeriesSuffixes.Any(suffix =>
            series.EndsWith(suffix, StringComparison.Ordinal)
            && Entries.Any(e => e.Type == "histogram" && e.PrometheusName == series[..^suffix.Length]));
    }

    /// <summary>What the OpenTelemetry Prometheus exporter makes of an instrument (docs/metrics.md, first section).</summary>
    public static string PrometheusNameFor(string otelName, string unit, string type)
    {
        var name = otelName.Replace('.', '_').Replace('-', '_');
        var unitWord = unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unitWord.Length > 0 && !name.EndsWith(unitWord, StringComparison.Ordinal)) name += unitWord;
        if (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        return name;
    }
}
