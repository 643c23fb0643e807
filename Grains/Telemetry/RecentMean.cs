namespace Cluster.Grains.Telemetry;

/// <summary>
/// The mean of the values recorded over the last <see cref="Window"/>: what a live page shows
/// beside a histogram on <c>/metrics</c>, which only Prometheus can turn into a recent figure.
/// </summary>
public sealed class RecentMean(TimeSpan window, TimeProvider time)
{
    private readonly Queue<(long AtTicks, double Value)> _values = new();
    private readonly object _gate = new();

    public TimeSpan Window { get; } = window;

    public void Record(double value)
    {
        long now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            _values.Enqueue((now, value));
            // Dropped here too, not only when read: nobody may read for days (the page switched off).
            DropBefore(now - Window.Ticks);
        }
    }

    /// <summary>The mean over the window, or null when nothing was recorded in it.</summary>
    public double? Mean()
    {
        long start = time.GetUtcNow().UtcTicks - Window.Ticks;
        lock (_gate)
        {
            DropBefore(start);
            return _values.Count == 0 ? null : _values.Average(v => v.Value);
        }
    }

    /// <summary>Values kept, for tests: at most what the window's recording rate leaves in it.</summary>
    public int Count
    {
        get { lock (_gate) return _values.Count; }
    }

    private void DropBefore(long startTicks)
    {
        while (_values.TryPeek(out var oldest) && oldest.AtTicks < startTicks) _values.Dequeue();
    }
}
