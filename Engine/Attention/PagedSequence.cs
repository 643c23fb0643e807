namespace Cluster.Engine.Attention;

/// <summary>
/// One sequence's share of a paged batch: its <see cref="QueryCount"/> new tokens sit at rows
/// [QueryStart, QueryStart + QueryCount) of the batch and at positions
/// [CachedTokens, CachedTokens + QueryCount) of the sequence; <see cref="PageIds"/> cover them all.
/// </summary>
public sealed record PagedSequence(int QueryStart, int QueryCount, int CachedTokens, IReadOnlyList<int> PageIds)
{
    public int ContextLength => CachedTokens + QueryCount;

    public long Slot(int position, int pageSize)
    {
        int page = position / pageSize;
        if (page >= PageIds.Count)
            throw new InvalidOperationException($"position {position} needs page {page + 1} but the sequence holds {PageIds.Count} pages");
        return (long)PageIds[page] * pageSize + position % pageSize;
    }
}
