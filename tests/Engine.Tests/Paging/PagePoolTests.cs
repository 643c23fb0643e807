using Cluster.Engine.Paging;

namespace Cluster.Engine.Tests.Paging;

public sealed class PagePoolTests
{
    [Fact]
    public void TryAllocate_WhenAllPagesTakenAndReleased_PoolIsFullAgain()
    {
        var pool = new PagePool(pageCount: 8, pageSize: 4);

        Assert.True(pool.TryAllocate(5, out var first));
        Assert.True(pool.TryAllocate(3, out var second));
        Assert.Equal(0, pool.FreeCount);
        Assert.Equal(8, pool.UsedCount);
        Assert.Equal(Enumerable.Range(0, 8), first.Concat(second).Order());

        pool.Release(first);
        pool.Release(second);

        Assert.Equal(8, pool.FreeCount);
        Assert.Equal(0, pool.UsedCount);
        Assert.Equal(8, pool.Capacity);
    }

    [Fact]
    public void TryAllocate_WhenFewerPagesFreeThanAsked_TakesNothing()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 16);
        Assert.True(pool.TryAllocate(3, out _));

        Assert.False(pool.TryAllocate(2, out var pages));

        Assert.Empty(pages);
        Assert.Equal(1, pool.FreeCount);
        Assert.True(pool.TryAllocate(1, out var last));
        Assert.Single(last);
    }

    [Fact]
    public void TryAllocate_WhenPagesWereFreed_TakesLeastRecentlyFreedFirst()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 16);
        Assert.True(pool.TryAllocate(4, out _)); // pages 0..3, queue empty
        pool.Release([2]);
        pool.Release([0, 3]);
        pool.Release([1]);

        Assert.Equal([2, 0, 3, 1], pool.FreeQueueOrder());
        Assert.True(pool.TryAllocate(3, out var pages));
        Assert.Equal([2, 0, 3], pages);
    }

    [Fact]
    public void Release_WhenPageAlreadyFree_ThrowsAndChangesNothing()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 16);
        Assert.True(pool.TryAllocate(2, out var pages));
        pool.Release([pages[0]]);

        var error = Assert.Throws<InvalidOperationException>(() => pool.Release(pages));

        Assert.Contains($"Page {pages[0]}", error.Message);
        Assert.Contains("double free", error.Message);
        Assert.Equal(1, pool.RefCount(pages[1])); // the valid page was not released either
        Assert.Equal(3, pool.FreeCount);
    }

    [Fact]
    public void Release_WhenPageListedTwiceButHeldOnce_Throws()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 16);
        Assert.True(pool.TryAllocate(1, out var pages));

        Assert.Throws<InvalidOperationException>(() => pool.Release([pages[0], pages[0]]));
        Assert.Equal(1, pool.RefCount(pages[0]));
    }

    [Fact]
    public void Release_WhenPageIdUnknown_ThrowsNamingThePage()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 16);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Release([7]));

        Assert.Contains("Page 7 is not in this pool", error.Message);
    }

    [Fact]
    public void FindCachedPrefix_WhenPrefixShared_CountsReferencesUntilLastRelease()
    {
        var pool = new PagePool(pageCount: 8, pageSize: 2);
        int[] tokens = [1, 2, 3, 4, 5];
        Assert.True(pool.TryAllocate(3, out var owner));
        var hashes = PageHash.ForFullPages(tokens, 2, null);
        Assert.True(pool.CachePage(owner[0], hashes[0]));
        Assert.True(pool.CachePage(owner[1], hashes[1]));

        var prefix = pool.FindCachedPrefix(tokens);

        Assert.Equal(owner[..2], prefix.Pages);
        Assert.Equal(4, prefix.TokenCount);
        Assert.Equal(2, pool.RefCount(owner[0]));
        pool.Release(owner);
        Assert.Equal(1, pool.RefCount(owner[0]));
        Assert.Equal(6, pool.FreeCount); // shared pages stay in use
        pool.Release(prefix.Pages);
        Assert.Equal(8, pool.FreeCount);
    }

    [Fact]
    public void FindCachedPrefix_WhenCachedPageIsFree_RevivesItFromTheMiddleOfTheQueue()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        int[] tokens = [9, 8];
        Assert.True(pool.TryAllocate(4, out _));
        pool.CachePage(0, PageHash.ForFullPages(tokens, 2, null)[0]);
        pool.Release([1]);
        pool.Release([0]);
        pool.Release([2]);
        Assert.Equal([1, 0, 2], pool.FreeQueueOrder());

        var prefix = pool.FindCachedPrefix(tokens);

        Assert.Equal([0], prefix.Pages);
        Assert.Equal([1, 2], pool.FreeQueueOrder());
        Assert.Equal(2, pool.FreeCount);
        Assert.Equal(1, pool.RefCount(0));
    }

    [Fact]
    public void FindCachedPrefix_WhenPrefixDiffersInAnEarlierPage_FindsNothingLater()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        Assert.True(pool.TryAllocate(2, out var owner));
        var hashes = PageHash.ForFullPages([1, 2, 3, 4], 2, null);
        pool.CachePage(owner[0], hashes[0]);
        pool.CachePage(owner[1], hashes[1]);

        // Same second page, different first page: the chained hash must not match.
        var prefix = pool.FindCachedPrefix([7, 7, 3, 4]);

        Assert.Empty(prefix.Pages);
        Assert.Equal(0, prefix.TokenCount);
    }

    [Fact]
    public void FindCachedPrefix_WhenExtraKeyDiffers_Misses()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        Assert.True(pool.TryAllocate(1, out var owner));
        pool.CachePage(owner[0], PageHash.ForFullPages([1, 2], 2, "lora-a")[0]);

        Assert.Empty(pool.FindCachedPrefix([1, 2], "lora-b").Pages);
        Assert.Empty(pool.FindCachedPrefix([1, 2]).Pages);
        Assert.Single(pool.FindCachedPrefix([1, 2], "lora-a").Pages);
    }

    [Fact]
    public void TryAllocate_WhenFreeCachedPageIsReused_EvictsItsHash()
    {
        var pool = new PagePool(pageCount: 2, pageSize: 2);
        int[] tokens = [5, 6];
        Assert.True(pool.TryAllocate(1, out var owner));
        pool.CachePage(owner[0], PageHash.ForFullPages(tokens, 2, null)[0]);
        pool.Release(owner);
        Assert.Equal(1, pool.Snapshot().CachedPages);

        Assert.True(pool.TryAllocate(2, out var everything)); // must take the cached page too
        Assert.Contains(owner[0], everything);
        pool.Release(everything);

        Assert.Empty(pool.FindCachedPrefix(tokens).Pages);
        Assert.Equal(0, pool.Snapshot().CachedPages);
    }

    [Fact]
    public void FindCachedPrefix_WhenQueried_CountsQueriedAndHitTokens()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        Assert.True(pool.TryAllocate(1, out var owner));
        pool.CachePage(owner[0], PageHash.ForFullPages([1, 2], 2, null)[0]);

        pool.FindCachedPrefix([1, 2, 3, 4, 5]);
        pool.FindCachedPrefix([4, 4, 4]);

        var stats = pool.Snapshot();
        Assert.Equal(8, stats.PrefixQueryTokens);
        Assert.Equal(2, stats.PrefixHitTokens);
    }

    [Fact]
    public void CachePage_WhenAnotherPageHoldsTheSamePrefix_KeepsTheFirst()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        Assert.True(pool.TryAllocate(2, out var pages));
        var hash = PageHash.ForFullPages([1, 2], 2, null)[0];

        Assert.True(pool.CachePage(pages[0], hash));
        Assert.False(pool.CachePage(pages[1], hash));

        Assert.Equal([pages[0]], pool.FindCachedPrefix([1, 2]).Pages);
    }

    [Fact]
    public void CachePage_WhenPageIsFree_Throws()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);

        Assert.Throws<InvalidOperationException>(() => pool.CachePage(0, PageHash.Root(null)));
    }

    [Fact]
    public void TryAllocate_WhenManyThreadsAllocateAndRelease_PoolEndsFull()
    {
        var pool = new PagePool(pageCount: 64, pageSize: 16);
        var failures = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 5_000; i++)
            {
                if (!pool.TryAllocate(random.Next(1, 12), out var pages))
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                foreach (var page in pages)
                {
                    Assert.True(pool.RefCount(page) >= 1);
                }

                pool.Release(pages);
            }
        });

        Assert.Equal(64, pool.FreeCount);
        Assert.Equal(64, pool.FreeQueueOrder().Distinct().Count());
        Assert.All(Enumerable.Range(0, 64), page => Assert.Equal(0, pool.RefCount(page)));
    }
}
