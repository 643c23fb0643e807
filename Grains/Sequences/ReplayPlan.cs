namespace Cluster.Grains.Sequences;

/// <summary>
/// Where each stage starts computing when a sequence replays its history after losing a stage.
/// A stage that kept its pages already holds K/V for a prefix of the history and computes only
/// past it; a stage placed again holds nothing and computes everything. A lost stage's input
/// rows come from its predecessor's activation log where that reaches, so the stages before it
/// recompute only what neither their pages nor their logs hold.
/// </summary>
public static class ReplayPlan
{
    /// <summary>
    /// For a history of <paramref name="historyLength"/> tokens, the first position each stage
    /// computes. <paramref name="computed"/>[j]: positions [0, n) whose K/V stage j holds;
    /// <paramref name="logged"/>[j]: positions [0, n) whose output rows stage j can send on again.
    /// The last stage always computes the final position: it samples the next token from it.
    /// </summary>
    public static int[] ComputeFrom(int historyLength, IReadOnlyList<int> computed, IReadOnlyList<int> logged)
    {
        if (historyLength <= 0) throw new ArgumentOutOfRangeException(nameof(historyLength), "a replay needs at least one history token");
        if (computed.Count == 0 || logged.Count != computed.Count)
            throw new ArgumentException($"one computed and one logged figure per stage (got {computed.Count} and {logged.Count})");
        var from = new int[computed.Count];
        int needed = historyLength - 1; // the first row the next stage (or sampling) needs from this one
        for (int stage = computed.Count - 1; stage >= 0; stage--)
        {
            int held = Math.Clamp(computed[stage], 0, stage == computed.Count - 1 ? historyLength - 1 : historyLength);
            // Rows [needed, held) go on without computing them only if the log holds them all;
            // otherwise the stage computes from where its log stops (rewriting K/V it already holds).
            from[stage] = needed >= held || logged[stage] >= held ? held : Math.Max(needed, logged[stage]);
            needed = from[stage];
        }
        return from;
    }
}
