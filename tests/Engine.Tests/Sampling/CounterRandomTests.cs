using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class CounterRandomTests
{
    [Fact]
    public void Uniform_WhenCalledTwiceWithSamePair_ReturnsSameValue()
    {
        Assert.Equal(CounterRandom.Uniform(5, 17), CounterRandom.Uniform(5, 17));
        Assert.NotEqual(CounterRandom.Uniform(5, 17), CounterRandom.Uniform(5, 18));
        Assert.NotEqual(CounterRandom.Uniform(5, 17), CounterRandom.Uniform(6, 17));
    }

    [Fact]
    public void Uniform_WhenStepsCounted_FillsTenBinsEvenly()
    {
        var bins = new int[10];
        for (var step = 0; step < 100_000; step++)
        {
            var u = CounterRandom.Uniform(seed: 12345, step);
            Assert.InRange(u, 0.0, 0.9999999999999999);
            bins[(int)(u * 10)]++;
        }

        // Expected 10,000 per bin, standard deviation ~95: ±600 is over six sigmas (and the seed is fixed).
        Assert.All(bins, count => Assert.InRange(count, 9_400, 10_600));
    }
}
