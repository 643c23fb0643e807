using Cluster.Engine.Paging;

namespace Cluster.Engine.Tests.Paging;

public sealed class PageHashTests
{
    [Fact]
    public void ForFullPages_WhenTailPageIsPartial_HashesOnlyFullPages()
    {
        Assert.Equal(2, PageHash.ForFullPages([1, 2, 3, 4, 5], 2, null).Length);
    }

    [Fact]
    public void ForFullPages_WhenComputedTwice_GivesEqualChains()
    {
        var a = PageHash.ForFullPages([1, 2, 3, 4], 2, "m");
        var b = PageHash.ForFullPages([1, 2, 3, 4], 2, "m");

        Assert.Equal(a, b);
        Assert.NotEqual(a[0], a[1]);
    }

    [Fact]
    public void Root_WhenKeyIsNullOrEmpty_Differs()
    {
        Assert.NotEqual(PageHash.Root(null), PageHash.Root(string.Empty));
    }

    [Fact]
    public void Chain_WhenPageIsLarge_MatchesItself()
    {
        var tokens = Enumerable.Range(0, 1000).ToArray(); // over the stackalloc threshold

        Assert.Equal(PageHash.Chain(PageHash.Root(null), tokens), PageHash.Chain(PageHash.Root(null), tokens));
        Assert.NotEqual(PageHash.Chain(PageHash.Root(null), tokens), PageHash.Chain(PageHash.Root(null), tokens[..999]));
    }
}
