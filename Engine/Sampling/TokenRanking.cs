namespace Cluster.Engine.Sampling;

/// <summary>
/// Orders token ids by logit, highest first, ties to the lower id. The order is strict and total,
/// so the top-k set and its sorted order are unique: any selection algorithm gives the same
/// candidates, which keeps sampling reproducible.
/// </summary>
internal static class TokenRanking
{
    public static bool Better(ReadOnlySpan<float> logits, int a, int b) =>
        logits[a] > logits[b] || (logits[a] == logits[b] && a < b);

    /// <summary>
    /// Writes the <paramref name="k"/> best of <paramref name="ids"/> into <paramref name="best"/>
    /// (in no order) with a bounded heap whose root is the worst kept: one comparison rejects
    /// almost every token of a large vocabulary, so this beats quickselect for small k.
    /// </summary>
    public static void SelectTopWithHeap(ReadOnlySpan<int> ids, int k, ReadOnlySpan<float> logits, Span<int> best)
    {
        var count = 0;
        foreach (var id in ids)
        {
            if (count < k)
            {
                // Sift up: a better id moves toward the leaves, the worst stays at the root.
                var at = count++;
                while (at > 0 && Better(logits, best[(at - 1) / 2], id))
                {
                    best[at] = best[(at - 1) / 2];
                    at = (at - 1) / 2;
                }

                best[at] = id;
            }
            else if (Better(logits, id, best[0]))
            {
                SiftDown(best[..k], id, logits);
            }
        }
    }

    /// <summary>Reorders <paramref name="ids"/> so its first <paramref name="k"/> entries are the k best (in no order): quickselect, O(n) on average.</summary>
    public static void SelectTop(Span<int> ids, int k, ReadOnlySpan<float> logits)
    {
        var lo = 0;
        var hi = ids.Length - 1;
        while (lo < hi)
        {
            var store = Partition(ids, lo, hi, logits);
            if (store == k || store == k - 1)
            {
                return;
            }

            if (store > k)
            {
                hi = store - 1;
            }
            else
            {
                lo = store + 1;
            }
        }
    }

    public static void SortBestFirst(Span<int> ids, float[] logits) => ids.Sort(new BestFirst(logits));

    /// <summary>Replaces the heap's root (its worst id) with <paramref name="id"/> and restores the heap.</summary>
    private static void SiftDown(Span<int> heap, int id, ReadOnlySpan<float> logits)
    {
        var at = 0;
        while (true)
        {
            var child = (2 * at) + 1;
            if (child >= heap.Length)
            {
                break;
            }

            if (child + 1 < heap.Length && Better(logits, heap[child], heap[child + 1]))
            {
                child++; // the worse child
            }

            if (!Better(logits, id, heap[child]))
            {
                break;
            }

            heap[at] = heap[child];
            at = child;
        }

        heap[at] = id;
    }

    /// <summary>Lomuto partition around a median-of-three pivot; returns the pivot's final index, with better ids before it.</summary>
    private static int Partition(Span<int> ids, int lo, int hi, ReadOnlySpan<float> logits)
    {
        var mid = lo + ((hi - lo) / 2);
        if (Better(logits, ids[mid], ids[lo]))
        {
            (ids[mid], ids[lo]) = (ids[lo], ids[mid]);
        }

        if (Better(logits, ids[hi], ids[lo]))
        {
            (ids[hi], ids[lo]) = (ids[lo], ids[hi]);
        }

        if (Better(logits, ids[mid], ids[hi]))
        {
            (ids[mid], ids[hi]) = (ids[hi], ids[mid]);
        }

        // ids[hi] now holds the median of the three: the pivot.
        var pivot = ids[hi];
        var store = lo;
        for (var i = lo; i < hi; i++)
        {
            if (Better(logits, ids[i], pivot))
            {
                (ids[i], ids[store]) = (ids[store], ids[i]);
                store++;
            }
        }

        (ids[store], ids[hi]) = (ids[hi], ids[store]);
        return store;
    }

    private readonly struct BestFirst(float[] logits) : IComparer<int>
    {
        public int Compare(int a, int b) => a == b ? 0 : Better(logits, a, b) ? -1 : 1;
    }
}
