using System.Globalization;
using System.Text.Json.Serialization;

namespace Cluster.ServingBench.Statistics;

/// <summary>
/// Service-level objectives for goodput (vLLM's <c>--goodput ttft:MS tpot:MS e2el:MS</c>): a
/// request is good when every given bound holds. Absent bounds are not checked.
/// </summary>
public sealed record Slo(
    [property: JsonPropertyName("ttft_ms")] double? TtftMs,
    [property: JsonPropertyName("tpot_ms")] double? TpotMs,
    [property: JsonPropertyName("e2el_ms")] double? E2elMs)
{
    public static Slo None { get; } = new(null, null, null);

    public bool IsEmpty => TtftMs is null && TpotMs is null && E2elMs is null;

    /// <summary>Parses "ttft:200", "tpot:50", "e2el:2000" items; throws naming a bad item.</summary>
    public static Slo Parse(IEnumerable<string> items)
    {
        var slo = None;
        foreach (string item in items.SelectMany(i => i.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = item.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double ms) || ms <= 0)
                throw new FormatException($"goodput item '{item}' is not NAME:MILLISECONDS with a positive number (e.g. ttft:200)");
            slo = parts[0].ToLowerInvariant() switch
            {
                "ttft" => slo with { TtftMs = ms },
                "tpot" => slo with { TpotMs = ms },
                "e2el" => slo with { E2elMs = ms },
                _ => throw new FormatException($"goodput metric '{parts[0]}' is unknown (ttft, tpot and e2el are)"),
            };
        }
        return slo;
    }

    public bool IsMetBy(RequestOutcome outcome) =>
        outcome.Success
        && (TtftMs is not double ttft || outcome.TtftMs <= ttft)
        && (TpotMs is not double tpot || outcome.TpotMs <= tpot)
        && (E2elMs is not double e2el || outcome.E2elMs <= e2el);
}
