using Cluster.Grains.Stages;

namespace Cluster.Tests.Replay;

public sealed class StageHistoryTests
{
    private const int RowBytes = 8;

    private static byte[] Rows(int first, int count) =>
        Enumerable.Range(first, count).SelectMany(position => Enumerable.Repeat((byte)position, RowBytes)).ToArray();

    [Fact]
    public void Record_CountsContiguousPositionsAndLogsTheRowsSentOn()
    {
        var history = new StageHistory(1 << 20);
        history.Record("s", 0, 20, Rows(0, 20));
        history.Record("s", 20, 21, Rows(20, 1));

        Assert.Equal(21, history.Computed("s"));
        Assert.Equal(21, history.Logged("s"));
        Assert.Equal(Rows(3, 18), history.Read("s", 3, 21));
        Assert.Equal(0, history.Computed("other"));
    }

    [Fact]
    public void Record_OnTheLastStage_CountsWithoutLogging()
    {
        var history = new StageHistory(0);
        history.Record("s", 0, 9, null);

        Assert.Equal(9, history.Computed("s"));
        Assert.Equal(0, history.Logged("s"));
        Assert.Equal(0, history.LogBytes);
    }

    [Fact]
    public void Record_WhenTheBudgetIsSpent_StopsGrowingTheLogButKeepsCounting()
    {
        long oneBlock = (long)ActivationLog.BlockRows * RowBytes;
        var history = new StageHistory(oneBlock);
        history.Record("a", 0, 100, Rows(0, 100));
        history.Record("b", 0, 10, Rows(0, 10));

        Assert.Equal(100, history.Computed("a"));
        Assert.Equal(ActivationLog.BlockRows, history.Logged("a"));
        Assert.Equal(0, history.Logged("b"));
        Assert.Equal(oneBlock, history.LogBytes);
    }

    [Fact]
    public void Forget_ReturnsTheLogsMemory()
    {
        var history = new StageHistory(1 << 20);
        history.Record("s", 0, 5, Rows(0, 5));
        history.Forget("s");

        Assert.Equal(0, history.LogBytes);
        Assert.Equal(0, history.Computed("s"));
        Assert.Equal(0, history.Logged("s"));
    }
}
