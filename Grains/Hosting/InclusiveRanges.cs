using System.Globalization;

namespace Cluster.Grains.Hosting;

/// <summary>Parses the command line's inclusive ranges: <c>0-1</c>, <c>4</c>, <c>0-1,3-4</c>.</summary>
public static class InclusiveRanges
{
    /// <summary>Returns null and the (first, last) pairs, or the problem.</summary>
    public static string? TryParse(string text, out IReadOnlyList<(int First, int Last)> ranges)
    {
        var list = new List<(int, int)>();
        ranges = list;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2 || !int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last) || last < first)
                return $"'{part}' is not a range like 0-1 or 4";
            list.Add((first, last));
        }
        return list.Count == 0 ? "no range given" : null;
    }

    public static IReadOnlyList<(int First, int Last)> Parse(string text) =>
        TryParse(text, out var ranges) is { } error ? throw new ArgumentException(error) : ranges;
}
