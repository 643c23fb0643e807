using Cluster.Grains.Telemetry;

namespace Cluster.Tests.Telemetry;

public sealed class RecentMeanTests
{
    [Fact]
    public void Mean_WhenNothingRecorded_IsNull()
    {
        Assert.Null(new RecentMean(TimeSpan.FromSeconds(10), new ManualClock()).Mean());
    }

    [Fact]
    public void Mean_WhenValuesAgeOutOfTheWindow_CountsOnlyTheRecentOnes()
    {
        var clock = new ManualClock();
        var mean = new RecentMean(TimeSpan.FromSeconds(10), clock);
        mean.Record(100);
        clock.Advance(TimeSpan.FromSeconds(6));
        mean.Record(2);
        mean.Record(4);
        Assert.Equal(106 / 3.0, mean.Mean()!.Value, 6);

        clock.Advance(TimeSpan.FromSeconds(5)); // the first value is 11 s old
        Assert.Equal(3, mean.Mean()!.Value, 6);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(mean.Mean());
    }

    [Fact]
    public void Record_WhenNobodyReads_KeepsOnlyTheWindowsValues()
    {
        var clock = new ManualClock();
        var mean = new RecentMean(TimeSpan.FromSeconds(10), clock);
        for (int i = 0; i < 1000; i++)
        {
            mean.Record(i);
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.InRange(mean.Count, 10, 11);
    }
}
