namespace Cluster.Engine.Sampling;

/// <summary>
/// Top-p without sorting the vocabulary. Candidates are binned by how far their logit is below
/// the maximum (1/32 of a logit per bin; bins follow the ranking, since a better token never lands
/// in a later bin). Whole bins are kept while their mass stays short of p; only the bin where the
/// mass crosses p is sorted, and cut exactly as vLLM cuts: a token is kept while the mass ranked
/// before it is below p.
/// </summary>
internal static class NucleusFilter
{
    private const int BinsPerLogit = 32;

    /// <summary>Logits more than this far below the maximum share one last bin: their weights are below e^-32.</summary>
    private const int Bins = 32 * BinsPerLogit;

    /// <summary>
    /// Moves the kept candidates to the front of <paramref name="candidates"/> (whole bins in
    /// their current order, then the crossing bin's survivors best first) and returns their count.
    /// </summary>
    public static int Keep(Span<int> candidates, ReadOnlySpan<double> weights, float[] logits, float max, float topP, int[] spareIds)
    {
        Span<double> binMass = stackalloc double[Bins + 1];
        binMass.Clear();
        var total = 0.0;
        foreach (var id in candidates)
        {
            binMass[Bin(logits[id], max)] += weights[id];
            total += weights[id];
        }

        var target = topP * total;
        var crossing = 0;
        var kept = 0.0;
        while (crossing < Bins && kept + binMass[crossing] < target)
        {
            kept += binMass[crossing++];
        }

        // Compaction in place is safe: the write index never passes the read index.
        var boundary = spareIds;
        var boundaryCount = 0;
        var count = 0;
        foreach (var id in candidates)
        {
            var bin = Bin(logits[id], max);
            if (bin < crossing)
            {
                candidates[count++] = id;
            }
            else if (bin == crossing)
            {
                boundary[boundaryCount++] = id;
            }
        }

        var crossingBin = boundary.AsSpan(0, boundaryCount);
        TokenRanking.SortBestFirst(crossingBin, logits);
        foreach (var id in crossingBin)
        {
            candidates[count++] = id;
            kept += weights[id];
            if (kept >= target)
            {
                break;
            }
        }

        // If rounding leaves the mass a hair short, the whole crossing bin is kept.
        return count;
    }

    private static int Bin(float logit, float max)
    {
        var below = (double)max - logit;
        return below >= Bins / BinsPerLogit ? Bins : (int)(below * BinsPerLogit);
    }
}
