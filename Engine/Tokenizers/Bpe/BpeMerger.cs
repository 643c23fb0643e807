namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>
/// The merge loop shared by every BPE flavour: symbols live in a linked list over the word and
/// candidate pairs in a priority queue (best priority, then leftmost), so a word of n symbols
/// costs O(n log n) instead of llama2.c's rescan of all pairs per merge. The order of merges is
/// the same as llama2.c's and llama.cpp's: the best pair anywhere in the word merges next.
/// </summary>
public sealed class BpeMerger(IMergeRule rule)
{
    private static readonly Comparer<(float Priority, int Left)> Order = Comparer<(float Priority, int Left)>.Create(
        (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Left.CompareTo(b.Left));

    /// <summary>Merges <paramref name="symbols"/> (adjacent spans of <paramref name="word"/>, in order) in place.</summary>
    public void Merge(string word, List<SymbolSpan> symbols)
    {
        int n = symbols.Count;
        if (n < 2)
            return;
        var start = new int[n];
        var length = new int[n];
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++)
        {
            start[i] = symbols[i].Start;
            length[i] = symbols[i].Length;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }

        var queue = new PriorityQueue<(int Left, int Right, int Length), (float Priority, int Left)>(n, Order);
        void TryAdd(int left, int right)
        {
            if (left < 0 || right < 0)
                return;
            var leftText = word.AsSpan(start[left], length[left]);
            var rightText = word.AsSpan(start[right], length[right]);
            var merged = word.AsSpan(start[left], length[left] + length[right]);
            if (rule.TryGetPriority(leftText, rightText, merged, out float priority))
                queue.Enqueue((left, right, merged.Length), (priority, left));
        }

        for (int i = 1; i < n; i++)
            TryAdd(i - 1, i);

        while (queue.TryDequeue(out var pair, out _))
        {
            var (left, right, mergedLength) = pair;
            // Entries go stale when either side has merged since they were queued.
            if (length[left] == 0 || length[right] == 0 || next[left] != right || length[left] + length[right] != mergedLength)
                continue;
            length[left] = mergedLength;
            length[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0)
                prev[next[right]] = left;
            TryAdd(prev[left], left);
            TryAdd(left, next[left]);
        }

        symbols.Clear();
        for (int i = 0; i >= 0; i = next[i])
            symbols.Add(new SymbolSpan(start[i], length[i]));
    }
}
