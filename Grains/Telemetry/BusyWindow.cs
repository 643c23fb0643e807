namespace Cluster.Grains.Telemetry;

/// <summary>
/// The fraction of the last <see cref="Window"/> a stage's device thread spent in forward passes:
/// passes are remembered with their end time and length, older ones dropped as time moves on.
/// </summary>
public sealed class BusyWindow(TimeSpan window, TimeProvider time)
{
    private readonly Queue<(long EndTicks, long BusyTicks)> _passes = new();
    private readonly object _gate = new();

    public TimeSpan Window { get; } = window;

    public void Record(TimeSpan busy)
    {
        lock (_gate) _passes.Enqueue((time.GetUtcNow().UtcTicks, busy.Ticks));
    }

    public double Fraction()
    {
        long now = time.GetUtcNow().UtcTicks, start = now - Window.Ticks, busy = 0;
        lock (_gate)
        {
            while (_passes.TryPeek(out var oldest) && oldest.EndTicks < start) _passes.Dequeue();
            foreach (var (end, length) in _passes)
                busy += Math.Min(length, end - start); // a pass that began before the window counts only its part inside
        }
        return Math.Clamp((double)busy / Window.Ticks, 0, 1);
    }
}
