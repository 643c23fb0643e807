using System.Diagnostics;

namespace Cluster.Engine.Diagnostics;

/// <summary>
/// How much of each core the machine takes away from a thread that never blocks: one thread per
/// core reads the clock in a tight loop, and every gap between two reads longer than
/// <see cref="Threshold"/> is time the thread did not run (a timer interrupt, a hypervisor exit,
/// another task). Decode is timed against a bandwidth bound that the same stalls also slow, but
/// every stall during a product of one sequence holds up both halves of it; on a VM this is where
/// part of the gap to the bound goes, and the figure tells one machine's noise from another's.
/// </summary>
public static class CpuStalls
{
    /// <summary>Gaps between two clock reads longer than this count as stalls: a read takes tens of nanoseconds.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMicroseconds(5);

    /// <summary>Runs <paramref name="threads"/> spinning threads for <paramref name="duration"/>.</summary>
    public static CpuStallMeasurement Measure(int threads, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        long threshold = (long)(Threshold.TotalSeconds * Stopwatch.Frequency);
        long length = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var stalls = new long[threads];
        var stalled = new long[threads];
        using var started = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            started.SignalAndWait();
            long start = Stopwatch.GetTimestamp(), previous = start, count = 0, lost = 0;
            while (previous - start < length)
            {
                long now = Stopwatch.GetTimestamp();
                if (now - previous > threshold)
                {
                    count++;
                    lost += now - previous;
                }
                previous = now;
            }
            stalls[t] = count;
            stalled[t] = lost;
        }) { IsBackground = true, Name = $"stall probe {t}" }).ToArray();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        return new CpuStallMeasurement(
            duration,
            stalls.Sum() / (double)threads,
            TimeSpan.FromSeconds(stalled.Sum() / (double)threads / Stopwatch.Frequency));
    }
}
