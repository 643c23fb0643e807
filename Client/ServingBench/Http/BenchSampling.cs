namespace Cluster.ServingBench.Http;

/// <summary>
/// How the benchmark's requests sample. Greedy by default, as vLLM's <c>bench serve</c>; a
/// temperature above 0 sends each request's own seed. Stop token ids (vLLM's
/// <c>stop_token_ids</c>) make outputs end before <c>max_tokens</c>, as real answers do: with
/// near-uniform sampling over a vocabulary of V, k ids end an output after V/k tokens on average.
/// </summary>
public sealed record BenchSampling(float Temperature, IReadOnlyList<int> StopTokenIds)
{
    public static BenchSampling Greedy { get; } = new(0, []);

    /// <summary>Token ids as a list of ids and ranges: <c>100,200-299</c>.</summary>
    public static IReadOnlyList<int> ParseIds(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2 || !int.TryParse(bounds[0], out int first) || first < 0 ||
                (bounds.Length == 2 && (!int.TryParse(bounds[1], out int last) || last < first)))
                throw new FormatException($"--stop-token-ids: '{part}' is neither a token id nor a range FIRST-LAST");
            int end = bounds.Length == 2 ? int.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture) : first;
            for (int id = first; id <= end; id++) ids.Add(id);
        }
        return ids;
    }
}
