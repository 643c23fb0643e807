using Cluster.Grains.Stages;

namespace Cluster.Tests.Replay;

public sealed class ActivationLogTests
{
    private const int RowBytes = 12;

    private static byte[] Rows(int first, int count) =>
        Enumerable.Range(first, count).SelectMany(position => Enumerable.Repeat((byte)(position % 251), RowBytes)).ToArray();

    [Fact]
    public void Read_AfterAppendsAcrossBlocks_ReturnsEveryRowOfTheRange()
    {
        var log = new ActivationLog(RowBytes);
        log.Append(0, Rows(0, 100), int.MaxValue);
        log.Append(100, Rows(100, 1), int.MaxValue);

        Assert.Equal(101, log.Rows);
        Assert.Equal(Rows(50, 51), log.Read(50, 101));
        Assert.Equal(Rows(0, 1), log.Read(0, 1));
        Assert.Empty(log.Read(7, 7));
    }

    [Fact]
    public void Append_WhenRowsOverlapWhatItHolds_KeepsOneCopyOfEach()
    {
        var log = new ActivationLog(RowBytes);
        log.Append(0, Rows(0, 10), int.MaxValue);
        log.Append(5, Rows(5, 10), int.MaxValue);

        Assert.Equal(15, log.Rows);
        Assert.Equal(Rows(0, 15), log.Read(0, 15));
    }

    [Fact]
    public void Append_WhenRowsLeaveAGap_SkipsThem()
    {
        var log = new ActivationLog(RowBytes);
        log.Append(0, Rows(0, 3), int.MaxValue);

        Assert.Equal(0, log.Append(5, Rows(5, 2), int.MaxValue));
        Assert.Equal(3, log.Rows);
    }

    [Fact]
    public void Append_StopsAtTheRowLimit()
    {
        var log = new ActivationLog(RowBytes);
        long added = log.Append(0, Rows(0, 100), ActivationLog.BlockRows);

        Assert.Equal(ActivationLog.BlockRows, log.Rows);
        Assert.Equal(log.BlockBytes, added);
    }

    [Fact]
    public void Read_OutsideTheLog_NamesTheRowsItHolds()
    {
        var log = new ActivationLog(RowBytes);
        log.Append(0, Rows(0, 4), int.MaxValue);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => log.Read(2, 6));
        Assert.Contains("[0, 4)", e.Message);
    }

    [Fact]
    public void Append_WhenTheBytesAreNotWholeRows_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ActivationLog(RowBytes).Append(0, new byte[RowBytes + 1], int.MaxValue));
    }
}
