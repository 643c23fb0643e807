namespace Cluster.Engine.Paging;

/// <summary>
/// The bookkeeping of one stage's KV pages (vLLM v1's KV cache manager in plain C#): which pages
/// are free, in LRU order; how many sequences reference each page; and which full pages hold a
/// known prefix. The K/V tensors themselves belong to the executor; this class only hands out ids.
/// Thread-safe: stage grains admit and free sequences while the executor thread allocates.
/// </summary>
public sealed class PagePool
{
    private readonly Lock _lock = new();
    private readonly int[] _refCounts;
    private readonly PageHash?[] _hashes;
    private readonly Dictionary<PageHash, int> _cachedPages = [];
    private readonly FreePageQueue _free;
    private long _prefixQueryTokens;
    private long _prefixHitTokens;

    public PagePool(int pageCount, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        Capacity = pageCount;
        PageSize = pageSize;
        _refCounts = new int[pageCount];
        _hashes = new PageHash?[pageCount];
        _free = new FreePageQueue(pageCount);
    }

    public int Capacity { get; }

    /// <summary>Tokens per page.</summary>
    public int PageSize { get; }

    /// <summary>Pages that can be allocated now, including cached pages that nobody references.</summary>
    public int FreeCount
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    public int UsedCount => Capacity - FreeCount;

    /// <summary>
    /// Takes <paramref name="count"/> pages from the head of the free queue (the least recently
    /// freed), or none at all: a sequence that gets half its pages can neither run nor let others.
    /// A cached page taken here loses its hash, since its K/V are about to be overwritten.
    /// </summary>
    public bool TryAllocate(int count, out int[] pages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_lock)
        {
            if (_free.Count < count)
            {
                pages = [];
                return false;
            }

            pages = new int[count];
            for (var i = 0; i < count; i++)
            {
                var page = _free.PopHead();
                EvictHash(page);
                _refCounts[page] = 1;
                pages[i] = page;
            }

            return true;
        }
    }

    /// <summary>
    /// Drops one reference from each page; pages nobody references go to the tail of the free
    /// queue in the order given (so pass a sequence's pages last-first: its tail pages, the least
    /// likely to be shared, are then reused first). A cached page keeps its hash until reused.
    /// Nothing changes if any page is unknown or not in use.
    /// </summary>
    public void Release(ReadOnlySpan<int> pages)
    {
        lock (_lock)
        {
            // Decrement first and undo on error, so a bad id (or a page listed more often than it
            // is referenced) leaves the pool exactly as it was.
            for (var i = 0; i < pages.Length; i++)
            {
                var page = pages[i];
                if ((uint)page >= (uint)Capacity || _refCounts[page] == 0)
                {
                    for (var j = 0; j < i; j++)
                    {
                        _refCounts[pages[j]]++;
                    }

                    throw (uint)page >= (uint)Capacity
                        ? new ArgumentOutOfRangeException(nameof(pages), page, $"Page {page} is not in this pool (capacity {Capacity}).")
                        : new InvalidOperationException($"Page {page} was released but is not in use: a double free, or a page that was never allocated.");
                }

                _refCounts[page]--;
            }

            foreach (var page in pages)
            {
                if (_refCounts[page] == 0 && !_free.Contains(page))
                {
                    _free.PushTail(page);
                }
            }
        }
    }

    /// <summary>
    /// The longest run of cached full pages that holds the start of <paramref name="tokens"/>, with
    /// one reference taken on each (a cached page nobody referenced leaves the free queue). Pass
    /// only tokens whose K/V may be reused: a prompt's last token usually has to be computed anyway,
    /// to get its logits.
    /// </summary>
    public CachedPrefix FindCachedPrefix(ReadOnlySpan<int> tokens, string? extraKey = null)
    {
        // Hashing is the slow part; it needs no lock.
        var hashes = PageHash.ForFullPages(tokens, PageSize, extraKey);
        lock (_lock)
        {
            var found = 0;
            while (found < hashes.Length && _cachedPages.ContainsKey(hashes[found]))
            {
                found++;
            }

            var pages = new int[found];
            for (var i = 0; i < found; i++)
            {
                var page = pages[i] = _cachedPages[hashes[i]];
                if (_refCounts[page] == 0)
                {
                    _free.Remove(page);
                }

                _refCounts[page]++;
            }

            _prefixQueryTokens += tokens.Length;
            _prefixHitTokens += found * PageSize;
            var lastHash = found == 0 ? PageHash.Root(extraKey) : hashes[found - 1];
            return new CachedPrefix(pages, found * PageSize, lastHash);
        }
    }

    /// <summary>
    /// Registers a full page whose K/V have been written, so later sequences with the same prefix
    /// can share it. Returns false when another page already holds that prefix (two sequences
    /// computed it at once); this page then stays private and is simply freed later.
    /// </summary>
    public bool CachePage(int page, PageHash hash)
    {
        lock (_lock)
        {
            CheckInUse(page);
            if (_hashes[page] is { } existing)
            {
                return existing == hash
                    ? true
                    : throw new InvalidOperationException($"Page {page} is already cached under another hash; a full page's content never changes.");
            }

            if (!_cachedPages.TryAdd(hash, page))
            {
                return false;
            }

            _hashes[page] = hash;
            return true;
        }
    }

    /// <summary>How many sequences reference <paramref name="page"/> (0 when it is free).</summary>
    public int RefCount(int page)
    {
        lock (_lock)
        {
            CheckKnown(page);
            return _refCounts[page];
        }
    }

    public PagePoolStats Snapshot()
    {
        lock (_lock)
        {
            return new PagePoolStats(
                Capacity, PageSize, Capacity - _free.Count, _free.Count, _cachedPages.Count, _prefixQueryTokens, _prefixHitTokens);
        }
    }

    /// <summary>The free queue from the next page to allocate to the last; for tests.</summary>
    internal int[] FreeQueueOrder()
    {
        lock (_lock)
        {
            return _free.ToArray();
        }
    }

    private void EvictHash(int page)
    {
        if (_hashes[page] is { } hash)
        {
            _cachedPages.Remove(hash);
            _hashes[page] = null;
        }
    }

    private void CheckKnown(int page)
    {
        if ((uint)page >= (uint)Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(page), page, $"Page {page} is not in this pool (capacity {Capacity}).");
        }
    }

    private void CheckInUse(int page)
    {
        CheckKnown(page);
        if (_refCounts[page] == 0)
        {
            throw new InvalidOperationException($"Page {page} is not in use; only a page a sequence holds can be cached.");
        }
    }
}
