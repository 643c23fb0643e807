using System.Diagnostics.CodeAnalysis;

namespace Cluster.Engine.Paging;

/// <summary>
/// The page tables of every sequence on one stage, over that stage's pool: admission (with prefix
/// reuse), growth as tokens are added, prefix registration as pages fill, and freeing. Sequence
/// ids are the sequence grains' keys. Thread-safe; tables handed out are read by the executor
/// while the sequence is scheduled and changed only through this class.
/// </summary>
public sealed class SequencePages
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _sequences = [];

    public SequencePages(PagePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Pool = pool;
    }

    public PagePool Pool { get; }

    public int SequenceCount
    {
        get
        {
            lock (_lock)
            {
                return _sequences.Count;
            }
        }
    }

    public int UsedPages => Pool.UsedCount;

    public int FreePages => Pool.FreeCount;

    /// <summary>Fraction of the stage's pages in use, 0..1.</summary>
    public double KvUsage => Pool.Snapshot().KvUsage;

    public bool Has(string seqId)
    {
        lock (_lock)
        {
            return _sequences.ContainsKey(seqId);
        }
    }

    /// <summary>
    /// Admits a new sequence: reuses the cached pages of its prompt's longest cached prefix and
    /// allocates the rest of <paramref name="totalTokens"/>, or changes nothing and returns false
    /// when pages are short. <paramref name="cachedTokens"/> is how much of the prompt need not be
    /// computed; the last prompt token never counts, since its logits are needed.
    /// </summary>
    public bool TryAdmit(string seqId, ReadOnlySpan<int> promptTokens, int totalTokens, string? extraKey, out int cachedTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalTokens, promptTokens.Length);
        lock (_lock)
        {
            if (_sequences.ContainsKey(seqId))
            {
                throw new InvalidOperationException($"Sequence '{seqId}' already holds pages on this stage.");
            }

            var prefix = Pool.FindCachedPrefix(promptTokens[..Math.Max(0, promptTokens.Length - 1)], extraKey);
            var table = new PageTable(Pool.PageSize);
            table.Append(prefix.Pages);
            if (!Pool.TryAllocate(table.PagesNeeded(totalTokens), out var pages))
            {
                ReleaseLastFirst(table.Pages);
                cachedTokens = 0;
                return false;
            }

            table.Append(pages);
            _sequences.Add(seqId, new Entry(table, extraKey) { HashedPages = prefix.Pages.Length, LastHash = prefix.LastHash });
            cachedTokens = prefix.TokenCount;
            return true;
        }
    }

    /// <summary>
    /// Makes the sequence's table hold <paramref name="totalTokens"/> tokens, allocating only the
    /// missing pages (all or none); a sequence not seen before starts with an empty table and no
    /// prefix reuse.
    /// </summary>
    public bool TryReserve(string seqId, int totalTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalTokens);
        lock (_lock)
        {
            var entry = _sequences.GetValueOrDefault(seqId) ?? new Entry(new PageTable(Pool.PageSize), null);
            if (!Pool.TryAllocate(entry.Table.PagesNeeded(totalTokens), out var pages))
            {
                return false;
            }

            entry.Table.Append(pages);
            _sequences.TryAdd(seqId, entry);
            return true;
        }
    }

    public PageTable GetTable(string seqId)
    {
        return TryGetTable(seqId, out var table)
            ? table
            : throw new KeyNotFoundException($"Sequence '{seqId}' holds no pages on this stage.");
    }

    public bool TryGetTable(string seqId, [MaybeNullWhen(false)] out PageTable table)
    {
        lock (_lock)
        {
            table = _sequences.GetValueOrDefault(seqId)?.Table;
            return table is not null;
        }
    }

    /// <summary>
    /// Registers in the prefix cache every page that <paramref name="computedTokens"/> (the
    /// sequence's tokens whose K/V are now written, from position 0) fills completely and that is
    /// not registered yet. Returns how many pages were newly registered.
    /// </summary>
    public int CacheComputedPages(string seqId, ReadOnlySpan<int> computedTokens)
    {
        lock (_lock)
        {
            if (!_sequences.TryGetValue(seqId, out var entry))
            {
                throw new KeyNotFoundException($"Sequence '{seqId}' holds no pages on this stage.");
            }

            var fullPages = Math.Min(computedTokens.Length / Pool.PageSize, entry.Table.PageCount);
            var registered = 0;
            for (var i = entry.HashedPages; i < fullPages; i++)
            {
                var hash = PageHash.Chain(entry.LastHash, computedTokens.Slice(i * Pool.PageSize, Pool.PageSize));
                registered += Pool.CachePage(entry.Table.Pages[i], hash) ? 1 : 0;
                entry.LastHash = hash;
                entry.HashedPages = i + 1;
            }

            return registered;
        }
    }

    /// <summary>Releases all of the sequence's pages; false (and no error) when it holds none, so stop paths may race.</summary>
    public bool Free(string seqId)
    {
        lock (_lock)
        {
            if (!_sequences.Remove(seqId, out var entry))
            {
                return false;
            }

            ReleaseLastFirst(entry.Table.Pages);
            return true;
        }
    }

    public PagePoolStats Snapshot() => Pool.Snapshot();

    /// <summary>Tail pages are the least likely to be shared, so they go to the free queue first and are reused first (as vLLM).</summary>
    private void ReleaseLastFirst(IReadOnlyList<int> pages)
    {
        var reversed = new int[pages.Count];
        for (var i = 0; i < reversed.Length; i++)
        {
            reversed[i] = pages[pages.Count - 1 - i];
        }

        Pool.Release(reversed);
    }

    private sealed class Entry(PageTable table, string? extraKey)
    {
        public PageTable Table { get; } = table;

        /// <summary>Full pages already hashed (registered, or found cached at admission).</summary>
        public int HashedPages { get; set; }

        /// <summary>The hash the next full page chains from.</summary>
        public PageHash LastHash { get; set; } = PageHash.Root(extraKey);
    }
}
