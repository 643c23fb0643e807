using Cluster.Engine.Paging;

namespace Cluster.Engine.Tests.Paging;

public sealed class PageTableTests
{
    [Fact]
    public void SlotsFor_WhenRangeCrossesPageBoundaries_FollowsEachPage()
    {
        var table = new PageTable(pageSize: 4);
        table.Append([7, 2, 5]);

        var slots = table.SlotsFor(start: 2, count: 7);

        Assert.Equal([30L, 31, 8, 9, 10, 11, 20], slots);
    }

    [Fact]
    public void SlotFor_WhenPositionIsFirstOfSecondPage_UsesThatPagesFirstSlot()
    {
        var table = new PageTable(pageSize: 16);
        table.Append([3, 9]);

        Assert.Equal(3 * 16 + 15, table.SlotFor(15));
        Assert.Equal(9 * 16, table.SlotFor(16));
    }

    [Fact]
    public void SlotFor_WhenPositionBeyondCapacity_ThrowsNamingTheCapacity()
    {
        var table = new PageTable(pageSize: 4);
        table.Append([0]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => table.SlotFor(4));
        Assert.Contains("4 tokens", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.SlotsFor(2, 3));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(16, 1)]
    [InlineData(17, 2)]
    [InlineData(48, 3)]
    public void PagesFor_WhenTokensGiven_RoundsUpToWholePages(int tokens, int pages)
    {
        Assert.Equal(pages, PageTable.PagesFor(tokens, 16));
    }

    [Fact]
    public void PagesNeeded_WhenTableAlreadyHoldsSome_CountsOnlyTheMissing()
    {
        var table = new PageTable(pageSize: 16);
        table.Append([1, 2]);

        Assert.Equal(0, table.PagesNeeded(32));
        Assert.Equal(1, table.PagesNeeded(33));
        Assert.Equal(0, table.PagesNeeded(5));
        Assert.Equal(32, table.TokenCapacity);
    }
}
