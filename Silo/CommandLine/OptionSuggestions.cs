namespace Cluster.Silo.CommandLine;

/// <summary>The valid options nearest a misspelt one: by edit distance, and by one containing the other (<c>--max-model-length</c> finds <c>--max-model-len</c>).</summary>
public static class OptionSuggestions
{
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> valid, int most = 3)
    {
        var name = typed.TrimStart('-').ToLowerInvariant();
        if (name.Length == 0) return [];
        int allowed = Math.Max(2, name.Length / 3);
        return valid
            .Select(v => (Option: v, Distance: Distance(name, v.TrimStart('-').ToLowerInvariant())))
            .Where(c => c.Distance <= allowed || Contains(name, c.Option.TrimStart('-').ToLowerInvariant()))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Option, StringComparer.Ordinal)
            .Take(most)
            .Select(c => c.Option)
            .ToArray();
    }

    /// <summary>One contains the other, where the shorter is long enough to mean something.</summary>
    private static bool Contains(string a, string b) =>
        Math.Min(a.Length, b.Length) >= 4 && (a.Contains(b, StringComparison.Ordinal) || b.Contains(a, StringComparison.Ordinal));

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
