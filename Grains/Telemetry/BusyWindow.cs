namespace Cluster.Grains.Telemetry;

/// <summary>
/// The fraction of the last <see cref="Window"/> a stage's device thread spent in forward passes:
/// passes are remembered with their end time and length, older ones dropped as time moves on.
/// </summary>
public sealed class BusyWindow(TimeSpan window, TimeProvider time)
{
    private readonly TimedValues<long> _passes = new(window, time); // each pass's length in ticks, stamped at its end

    public TimeSpan Window => _passes.Window;

    public void Record(TimeSpan busy) => _passes.Record(busy.Ticks);

    public double Fraction()
    {
        // A pass that began before the window counts only its part inside.
        long busy = _passes.Read((start, passes) => passes.Sum(p => Math.Min(p.Value, p.AtTicks - start)));
        return Math.Clamp((double)busy / Window.Ticks, 0, 1);
    }
}
