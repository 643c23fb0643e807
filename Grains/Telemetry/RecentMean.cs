namespace Cluster.Grains.Telemetry;

/// <summary>
/// The mean of the values recorded over the last <see cref="Window"/>: what a live page shows
/// beside a histogram on <c>/metrics</c>, which only Prometheus can turn into a recent figure.
/// </summary>
public sealed class RecentMean(TimeSpan window, TimeProvider time)
{
    private readonly TimedValues<double> _values = new(window, time);

    public TimeSpan Window => _values.Window;

    public void Record(double value) => _values.Record(value);

    /// <summary>The mean over the window, or null when nothing was recorded in it.</summary>
    public double? Mean() => _values.Read((_, values) => values.Any() ? values.Average(v => v.Value) : (double?)null);

    /// <summary>Values kept, for tests: at most what the window's recording rate leaves in it.</summary>
    public int Count => _values.Count;
}
