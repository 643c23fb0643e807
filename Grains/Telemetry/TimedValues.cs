namespace Cluster.Grains.Telemetry;

/// <summary>
/// Values stamped with the time they were recorded, kept for the last <see cref="Window"/>: older
/// ones are dropped as new ones arrive and before every read, so the queue stays as small as the
/// recording rate makes it even when nobody reads (a page switched off, no scrape).
/// </summary>
public sealed class TimedValues<T>(TimeSpan window, TimeProvider time)
{
    private readonly Queue<(long AtTicks, T Value)> _values = new();
    private readonly object _gate = new();

    public TimeSpan Window { get; } = window;

    /// <summary>Values kept, for tests.</summary>
    public int Count
    {
        get { lock (_gate) return _values.Count; }
    }

    public void Record(T value)
    {
        long now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            _values.Enqueue((now, value));
            DropBefore(now - Window.Ticks);
        }
    }

    /// <summary>Reads the values of the window, given with its start, under the lock.</summary>
    public TResult Read<TResult>(Func<long, IEnumerable<(long AtTicks, T Value)>, TResult> read)
    {
        long start = time.GetUtcNow().UtcTicks - Window.Ticks;
        lock (_gate)
        {
            DropBefore(start);
            return read(start, _values);
        }
    }

    private void DropBefore(long startTicks)
    {
        while (_values.TryPeek(out var oldest) && oldest.AtTicks < startTicks) _values.Dequeue();
    }
}
