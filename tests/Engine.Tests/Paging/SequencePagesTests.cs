using Cluster.Engine.Paging;

namespace Cluster.Engine.Tests.Paging;

public sealed class SequencePagesTests
{
    [Fact]
    public void TryReserve_WhenSequenceGrows_AllocatesOnlyMissingPages()
    {
        var pages = new SequencePages(new PagePool(pageCount: 8, pageSize: 4));

        Assert.True(pages.TryReserve("a", 5));
        Assert.Equal(2, pages.GetTable("a").PageCount);
        Assert.True(pages.TryReserve("a", 8));
        Assert.Equal(2, pages.GetTable("a").PageCount);
        Assert.True(pages.TryReserve("a", 9));

        Assert.Equal(3, pages.GetTable("a").PageCount);
        Assert.Equal(3, pages.UsedPages);
        Assert.Equal(3.0 / 8, pages.KvUsage);
    }

    [Fact]
    public void TryReserve_WhenPagesShort_LeavesNoTrace()
    {
        var pages = new SequencePages(new PagePool(pageCount: 2, pageSize: 4));

        Assert.False(pages.TryReserve("a", 9));

        Assert.False(pages.Has("a"));
        Assert.Equal(2, pages.FreePages);
    }

    [Fact]
    public void Free_WhenCalledTwice_ReleasesOnceAndReturnsFalseAfter()
    {
        var pages = new SequencePages(new PagePool(pageCount: 4, pageSize: 4));
        Assert.True(pages.TryReserve("a", 16));

        Assert.True(pages.Free("a"));
        Assert.False(pages.Free("a"));

        Assert.False(pages.Has("a"));
        Assert.Equal(4, pages.FreePages);
        Assert.Equal(0, pages.SequenceCount);
    }

    [Fact]
    public void TryAdmit_WhenPromptPrefixWasComputedBefore_SharesItsPages()
    {
        var pages = new SequencePages(new PagePool(pageCount: 8, pageSize: 2));
        int[] prompt = [1, 2, 3, 4, 5];
        Assert.True(pages.TryAdmit("a", prompt, 6, "m", out var firstCached));
        Assert.Equal(2, pages.CacheComputedPages("a", prompt));

        Assert.True(pages.TryAdmit("b", prompt, 6, "m", out var cached));

        Assert.Equal(0, firstCached);
        Assert.Equal(4, cached);
        var a = pages.GetTable("a").Pages;
        var b = pages.GetTable("b").Pages;
        Assert.Equal(a.Take(2), b.Take(2));
        Assert.NotEqual(a[2], b[2]);
        Assert.Equal(4, pages.UsedPages);
        Assert.Equal(2, pages.Pool.RefCount(a[0]));
    }

    [Fact]
    public void TryAdmit_WhenWholePromptIsCached_StillLeavesLastTokenToCompute()
    {
        var pages = new SequencePages(new PagePool(pageCount: 8, pageSize: 2));
        int[] prompt = [1, 2, 3, 4];
        Assert.True(pages.TryAdmit("a", prompt, 4, null, out _));
        pages.CacheComputedPages("a", prompt);

        Assert.True(pages.TryAdmit("b", prompt, 4, null, out var cached));

        Assert.Equal(2, cached); // the page holding the last token is recomputed, as in vLLM
    }

    [Fact]
    public void TryAdmit_WhenPagesShortAfterPrefixHit_GivesThePrefixBack()
    {
        var pool = new PagePool(pageCount: 3, pageSize: 2);
        var pages = new SequencePages(pool);
        int[] prompt = [1, 2, 3];
        Assert.True(pages.TryAdmit("a", prompt, 4, null, out _));
        pages.CacheComputedPages("a", prompt);
        var shared = pages.GetTable("a").Pages[0];

        Assert.False(pages.TryAdmit("b", prompt, 8, null, out var cached));

        Assert.Equal(0, cached);
        Assert.False(pages.Has("b"));
        Assert.Equal(1, pool.RefCount(shared));
        Assert.Equal(1, pool.FreeCount);
    }

    [Fact]
    public void Free_WhenSequenceHeldCachedPages_KeepsThemFindableUntilReused()
    {
        var pool = new PagePool(pageCount: 4, pageSize: 2);
        var pages = new SequencePages(pool);
        int[] prompt = [1, 2, 3, 4, 5];
        Assert.True(pages.TryAdmit("a", prompt, 5, null, out _));
        pages.CacheComputedPages("a", prompt);
        pages.Free("a");
        Assert.Equal(4, pool.FreeCount);

        Assert.True(pages.TryAdmit("b", prompt, 5, null, out var cached));

        Assert.Equal(4, cached);
    }

    [Fact]
    public void Free_WhenSequenceReleased_PutsItsTailPagesFirstInLine()
    {
        var pool = new PagePool(pageCount: 3, pageSize: 2);
        var pages = new SequencePages(pool);
        Assert.True(pages.TryReserve("a", 6));
        var table = pages.GetTable("a").ToArray();

        pages.Free("a");

        Assert.Equal(table.Reverse(), pool.FreeQueueOrder());
    }

    [Fact]
    public void CacheComputedPages_WhenCalledAsTokensGrow_RegistersEachFullPageOnce()
    {
        var pages = new SequencePages(new PagePool(pageCount: 4, pageSize: 2));
        int[] tokens = [1, 2, 3, 4, 5, 6];
        Assert.True(pages.TryReserve("a", 6));

        Assert.Equal(1, pages.CacheComputedPages("a", tokens.AsSpan(0, 3)));
        Assert.Equal(0, pages.CacheComputedPages("a", tokens.AsSpan(0, 3)));
        Assert.Equal(2, pages.CacheComputedPages("a", tokens));

        Assert.Equal(3, pages.Snapshot().CachedPages);
        Assert.Equal(6, pages.Pool.FindCachedPrefix(tokens).TokenCount);
    }

    [Fact]
    public void TryAdmit_WhenSequenceAlreadyAdmitted_Throws()
    {
        var pages = new SequencePages(new PagePool(pageCount: 4, pageSize: 2));
        Assert.True(pages.TryAdmit("a", [1], 1, null, out _));

        var error = Assert.Throws<InvalidOperationException>(() => pages.TryAdmit("a", [1], 1, null, out _));
        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public void GetTable_WhenSequenceUnknown_ThrowsNamingIt()
    {
        var pages = new SequencePages(new PagePool(pageCount: 4, pageSize: 2));

        var error = Assert.Throws<KeyNotFoundException>(() => pages.GetTable("ghost"));
        Assert.Contains("'ghost'", error.Message);
    }
}
