namespace Cluster.Engine.Paging;

/// <summary>
/// One sequence's pages on one stage, in token order: token position p lives in page
/// Pages[p / PageSize] at offset p % PageSize, i.e. in slot pageId * PageSize + offset of the
/// stage's K/V tensors. Not thread-safe: one sequence's table is touched by one caller at a time.
/// </summary>
public sealed class PageTable
{
    private readonly List<int> _pages = [];

    public PageTable(int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        PageSize = pageSize;
    }

    public int PageSize { get; }

    public IReadOnlyList<int> Pages => _pages;

    public int PageCount => _pages.Count;

    /// <summary>Tokens the pages can hold.</summary>
    public int TokenCapacity => _pages.Count * PageSize;

    /// <summary>Pages needed to hold <paramref name="tokenCount"/> tokens from empty.</summary>
    public static int PagesFor(int tokenCount, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        return (int)(((long)tokenCount + pageSize - 1) / pageSize);
    }

    /// <summary>Pages to append so that the table holds <paramref name="tokenCount"/> tokens (0 if it already does).</summary>
    public int PagesNeeded(int tokenCount) => Math.Max(0, PagesFor(tokenCount, PageSize) - _pages.Count);

    public void Append(ReadOnlySpan<int> pages)
    {
        foreach (var page in pages)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(page, nameof(pages));
            _pages.Add(page);
        }
    }

    /// <summary>The K/V slot of token <paramref name="position"/>.</summary>
    public long SlotFor(int position)
    {
        if ((uint)position >= (uint)TokenCapacity)
        {
            throw new ArgumentOutOfRangeException(
                nameof(position), position, $"Position {position} is beyond the {TokenCapacity} tokens this page table holds; reserve pages first.");
        }

        var (index, offset) = Math.DivRem(position, PageSize);
        return (long)_pages[index] * PageSize + offset;
    }

    /// <summary>The slot mapping for writing K/V of tokens start .. start + count - 1 (int64, as index_copy wants).</summary>
    public long[] SlotsFor(int start, int count)
    {
        var slots = new long[count];
        SlotsFor(start, slots);
        return slots;
    }

    /// <summary>Fills <paramref name="destination"/> with the slots of tokens from <paramref name="start"/> on, without allocating.</summary>
    public void SlotsFor(int start, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (destination.Length > 0)
        {
            SlotFor(start + destination.Length - 1); // throws with the message above if out of range
        }

        var (index, offset) = Math.DivRem(start, PageSize);
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (long)_pages[index] * PageSize + offset;
            if (++offset == PageSize)
            {
                offset = 0;
                index++;
            }
        }
    }

    public int[] ToArray() => [.. _pages];
}
