using Cluster.ServingBench.Workload;

namespace Cluster.ServingBench.Tests.Workload;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Poisson_WhenManyArrivals_MeanGapIsOneOverRateAndGapsVaryLikeExponential()
    {
        var offsets = ArrivalSchedule.Poisson(20_000, requestsPerSecond: 4, seed: 1);

        var gaps = offsets.Zip(offsets.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        double mean = gaps.Average();
        double std = Math.Sqrt(gaps.Average(g => (g - mean) * (g - mean)));
        Assert.InRange(mean, 0.24, 0.26);
        // An exponential distribution's standard deviation equals its mean; evenly spaced arrivals would give 0.
        Assert.InRange(std / mean, 0.95, 1.05);
        Assert.Equal(TimeSpan.Zero, offsets[0]);
        Assert.True(gaps.All(g => g >= 0));
    }

    [Fact]
    public void Poisson_WhenSameSeed_GivesSameSchedule()
    {
        Assert.Equal(ArrivalSchedule.Poisson(50, 2, seed: 7), ArrivalSchedule.Poisson(50, 2, seed: 7));
        Assert.NotEqual(ArrivalSchedule.Poisson(50, 2, seed: 7), ArrivalSchedule.Poisson(50, 2, seed: 8));
    }

    [Fact]
    public void Poisson_WhenInfiniteRate_SendsEverythingAtOnce()
    {
        Assert.All(ArrivalSchedule.Poisson(10, double.PositiveInfinity, seed: 0), offset => Assert.Equal(TimeSpan.Zero, offset));
    }

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("INF", double.PositiveInfinity)]
    [InlineData("2.5", 2.5)]
    public void ParseRate_WhenValid_ReturnsRate(string text, double expected)
    {
        Assert.Equal(expected, ArrivalSchedule.ParseRate(text));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("fast")]
    public void ParseRate_WhenNotPositive_Throws(string text)
    {
        Assert.Throws<FormatException>(() => ArrivalSchedule.ParseRate(text));
    }
}
