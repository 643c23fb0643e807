namespace Cluster.Engine.Paging;

/// <summary>
/// One consistent reading of a page pool for a metrics exporter (vLLM's kv_cache_usage_perc,
/// prefix_cache_queries and prefix_cache_hits are counted the same way: in tokens).
/// </summary>
/// <param name="Capacity">Pages in the pool.</param>
/// <param name="PageSize">Tokens per page.</param>
/// <param name="UsedPages">Pages referenced by at least one sequence.</param>
/// <param name="FreePages">Pages that can be allocated, including cached pages nobody references.</param>
/// <param name="CachedPages">Pages with a registered prefix hash, used or free.</param>
/// <param name="PrefixQueryTokens">Tokens looked up in the prefix cache since start.</param>
/// <param name="PrefixHitTokens">Of those, tokens found cached.</param>
public sealed record PagePoolStats(
    int Capacity,
    int PageSize,
    int UsedPages,
    int FreePages,
    int CachedPages,
    long PrefixQueryTokens,
    long PrefixHitTokens)
{
    /// <summary>Fraction of the pool in use, 0..1 (free cached pages count as free: they can be evicted).</summary>
    public double KvUsage => Capacity == 0 ? 0 : (double)UsedPages / Capacity;
}
