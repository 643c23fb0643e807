namespace Cluster.Engine.Diagnostics;

/// <summary>The figures of one decode run: <see cref="Steps"/> passes of <see cref="Concurrency"/> sequences.</summary>
public sealed record DecodeMeasurement(int Concurrency, int Steps, TimeSpan Elapsed)
{
    public double TokensPerSecond => Concurrency * Steps / Elapsed.TotalSeconds;

    public double MillisecondsPerStep => Elapsed.TotalMilliseconds / Steps;
}
