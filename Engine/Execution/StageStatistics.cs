namespace Cluster.Engine.Execution;

/// <summary>Running figures of one stage executor, read by metrics and tests.</summary>
public sealed class StageStatistics
{
    private long _batches;
    private long _sequences;
    private long _tokens;
    private long _busyTicks;
    private int _largestBatch;
    private int _lastBatch;
    private long _liveTensors;
    private long _fusedDecodePasses;

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Sequence-steps run (one sequence in one batch counts once).</summary>
    public long Sequences => Interlocked.Read(ref _sequences);

    public long Tokens => Interlocked.Read(ref _tokens);

    public TimeSpan Busy => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks));

    public int LargestBatch => Volatile.Read(ref _largestBatch);

    public int LastBatch => Volatile.Read(ref _lastBatch);

    /// <summary>Tensors alive on the executor thread after the last pass: flat over time, or something leaks.</summary>
    public long LiveTensors => Interlocked.Read(ref _liveTensors);

    /// <summary>Passes that went through the fused CPU decode path rather than libtorch's operators.</summary>
    public long FusedDecodePasses => Interlocked.Read(ref _fusedDecodePasses);

    /// <summary>Raised on the executor thread after every batch: (sequences, tokens, forward time).</summary>
    public event Action<int, int, TimeSpan>? BatchCompleted;

    internal void Record(int sequences, int tokens, TimeSpan elapsed, long liveTensors, bool fused)
    {
        if (fused) Interlocked.Increment(ref _fusedDecodePasses);
        Interlocked.Exchange(ref _liveTensors, liveTensors);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _sequences, sequences);
        Interlocked.Add(ref _tokens, tokens);
        Interlocked.Add(ref _busyTicks, elapsed.Ticks);
        Volatile.Write(ref _lastBatch, sequences);
        int largest;
        while (sequences > (largest = Volatile.Read(ref _largestBatch)) &&
               Interlocked.CompareExchange(ref _largestBatch, sequences, largest) != largest)
        {
        }
        BatchCompleted?.Invoke(sequences, tokens, elapsed);
    }
}
