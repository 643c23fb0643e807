using System.Collections.Concurrent;

namespace Cluster.Grains.Telemetry;

/// <summary>
/// The live serving figures of each pipeline replica whose sequences this silo hosts, kept beside
/// the instruments of <see cref="SequenceMetrics"/> (which only an exporter can read back).
/// </summary>
public sealed class ServingWindow(TimeProvider time)
{
    /// <summary>Long enough that a page polled every second or two sees a steady figure, short enough to follow a change in load.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Model, int Replica), Replica> _replicas = new();

    public void Waiting(string model, int replica, int delta) => Interlocked.Add(ref Of(model, replica).WaitingCount, delta);

    public void Running(string model, int replica, int delta) => Interlocked.Add(ref Of(model, replica).RunningCount, delta);

    public void Generated(string model, int replica) => Interlocked.Increment(ref Of(model, replica).Tokens);

    public void FirstToken(string model, int replica, TimeSpan sinceArrival) => Of(model, replica).Ttft.Record(sinceArrival.TotalMilliseconds);

    /// <param name="perOutputToken">null for a request with fewer than two tokens (it has no time between tokens).</param>
    public void Finished(string model, int replica, TimeSpan? perOutputToken)
    {
        var figures = Of(model, replica);
        Interlocked.Increment(ref figures.Finished);
        if (perOutputToken is { } tpot) figures.Tpot.Record(tpot.TotalMilliseconds);
    }

    public ServingFigures Read(string model, int replica)
    {
        var figures = Of(model, replica);
        return new ServingFigures
        {
            Running = Volatile.Read(ref figures.RunningCount),
            Waiting = Volatile.Read(ref figures.WaitingCount),
            GeneratedTokens = Volatile.Read(ref figures.Tokens),
            FinishedRequests = Volatile.Read(ref figures.Finished),
            TimeToFirstTokenMs = figures.Ttft.Mean(),
            TimePerOutputTokenMs = figures.Tpot.Mean(),
        };
    }

    private Replica Of(string model, int replica) => _replicas.GetOrAdd((model, replica), _ => new Replica(time));

    private sealed class Replica(TimeProvider time)
    {
        public long RunningCount;
        public long WaitingCount;
        public long Tokens;
        public long Finished;
        public readonly RecentMean Ttft = new(Length, time);
        public readonly RecentMean Tpot = new(Length, time);
    }
}
