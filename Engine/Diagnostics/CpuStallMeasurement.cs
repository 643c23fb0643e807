namespace Cluster.Engine.Diagnostics;

/// <summary>What <see cref="CpuStalls.Measure"/> saw, averaged over its threads.</summary>
public sealed record CpuStallMeasurement(TimeSpan Duration, double StallsPerThread, TimeSpan StalledPerThread)
{
    /// <summary>Share of each core's time its thread did not run.</summary>
    public double StalledShare => StalledPerThread / Duration;

    public double StallsPerSecond => StallsPerThread / Duration.TotalSeconds;

    public TimeSpan MeanStall => StallsPerThread > 0 ? StalledPerThread / StallsPerThread : TimeSpan.Zero;

    public override string ToString() =>
        $"{StalledShare:P1} of each core stalled ({StallsPerSecond:F0} stalls/s, {MeanStall.TotalMicroseconds:F0} µs each)";
}
