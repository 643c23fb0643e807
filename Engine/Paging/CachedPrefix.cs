namespace Cluster.Engine.Paging;

/// <summary>
/// The longest run of cached full pages found for a token sequence. The caller now holds one
/// reference on each page and must release them (directly or through its page table).
/// </summary>
/// <param name="Pages">The page ids in sequence order.</param>
/// <param name="TokenCount">Tokens whose K/V those pages already hold: Pages.Length * PageSize.</param>
/// <param name="LastHash">The hash of the last page, or the chain's root when no page was found; the next page's hash chains from it.</param>
public sealed record CachedPrefix(int[] Pages, int TokenCount, PageHash LastHash);
