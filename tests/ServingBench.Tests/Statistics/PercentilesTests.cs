using Cluster.ServingBench.Statistics;

namespace Cluster.ServingBench.Tests.Statistics;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(50, 2.5)]   // numpy.percentile([1, 2, 3, 4], 50)
    [InlineData(90, 3.7)]   // numpy.percentile([1, 2, 3, 4], 90)
    [InlineData(99, 3.97)]
    [InlineData(0, 1)]
    [InlineData(100, 4)]
    public void Of_WhenFourValues_InterpolatesLikeNumpy(double percent, double expected)
    {
        Assert.Equal(expected, Percentiles.Of([1, 2, 3, 4], percent), precision: 9);
    }

    [Fact]
    public void Of_WhenOneValue_ReturnsIt()
    {
        Assert.Equal(7, Percentiles.Of([7], 99));
    }

    [Fact]
    public void Of_WhenPercentOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentiles.Of([1], 101));
    }

    [Fact]
    public void LatencySummary_WhenUnsortedValues_GivesMeanMedianStdAndTails()
    {
        var summary = LatencySummary.Of([4, 1, 3, 2]);

        Assert.Equal(2.5, summary.Mean);
        Assert.Equal(2.5, summary.Median);
        Assert.Equal(Math.Sqrt(1.25), summary.StandardDeviation, precision: 12);
        Assert.Equal(3.7, summary.P90, precision: 9);
        Assert.Equal(4, summary.Count);
    }
}
