using System.Text.RegularExpressions;

namespace Cluster.TestSupport;

/// <summary>Pulls the metric (series) names out of a PromQL expression as Grafana stores it.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
        "and", "or", "unless", "atan2", "inf", "nan", "Inf", "NaN",
    ];

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = GrafanaVariable().Replace(text, " ");

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var rest = text.AsSpan(match.Index + match.Length).TrimStart();
            if (rest.Length > 0 && rest[0] == '(') continue; // function or aggregation
            if (Keywords.Contains(match.Value)) continue;
            names.Add(match.Value);
        }
        return names;
    }

    /// <summary>Metric names in a Grafana template-variable query (label_values, query_result or plain PromQL).</summary>
    public static IReadOnlySet<string> TemplateQueryMetricNames(string query)
    {
        var trimmed = query.Trim();
        var labelValues = LabelValuesWithSelector().Match(trimmed);
        if (labelValues.Success) return MetricNames(labelValues.Groups["selector"].Value);
        if (LabelValuesLabelOnly().IsMatch(trimmed)) return new HashSet<string>();
        var queryResult = QueryResult().Match(trimmed);
        return MetricNames(queryResult.Success ? queryResult.Groups["expr"].Value : trimmed);
    }

    [GeneratedRegex(@"^label_values\(\s*(?<selector>.+),\s*\w+\s*\)$")]
    private static partial Regex LabelValuesWithSelector();

    [GeneratedRegex(@"^label_values\(\s*\w+\s*\)$")]
    private static partial Regex LabelValuesLabelOnly();

    [GeneratedRegex(@"^query_result\((?<expr>.*)\)$")]
    private static partial Regex QueryResult();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex GrafanaVariable();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
