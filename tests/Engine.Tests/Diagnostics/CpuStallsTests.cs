using Cluster.Engine.Diagnostics;

namespace Cluster.Engine.Tests.Diagnostics;

public sealed class CpuStallsTests
{
    [Fact]
    public void Measure_WithTwiceAsManyThreadsAsCores_SeesEachStalledForAboutHalfItsTime()
    {
        // Two spinning threads per core: the scheduler runs each for about half the time, in
        // slices of milliseconds, so every thread sees long gaps between its clock reads.
        var measured = CpuStalls.Measure(2 * Environment.ProcessorCount, TimeSpan.FromMilliseconds(300));

        Assert.InRange(measured.StalledShare, 0.25, 0.95);
        Assert.True(measured.MeanStall >= CpuStalls.Threshold, $"{measured}");
    }

    [Fact]
    public void Measure_OneThread_ReportsItsFiguresConsistently()
    {
        var measured = CpuStalls.Measure(1, TimeSpan.FromMilliseconds(100));

        Assert.Equal(TimeSpan.FromMilliseconds(100), measured.Duration);
        Assert.InRange(measured.StalledShare, 0, 1);
        Assert.Equal(measured.StallsPerThread / 0.1, measured.StallsPerSecond, 6);
        if (measured.StallsPerThread > 0) Assert.True(measured.MeanStall >= CpuStalls.Threshold);
        Assert.Contains("of each core stalled", measured.ToString());
    }
}
