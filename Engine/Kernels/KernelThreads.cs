using System.Diagnostics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// Persistent threads for the engine's own CPU kernels. A decode matrix-vector product takes
/// tens of microseconds, less than it takes to wake a thread from the OS or to queue on the .NET
/// thread pool, so the workers spin for a short while after each job (the next product follows
/// within microseconds during a decode pass) and only then sleep. The calling thread works too:
/// with <c>n</c> threads the pool owns <c>n − 1</c> workers.
/// </summary>
/// <remarks>
/// Chunks are claimed through one 64-bit ticket (job number in the high half, next chunk in the
/// low half), and a finished job's ticket is closed before the next job's fields are written, so a
/// worker that wakes late can never run or count a chunk of a newer job under an older ticket. One
/// job runs at a time; callers from other threads wait their turn.
/// </remarks>
public sealed class KernelThreads : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs
    private const uint Closed = uint.MaxValue; // the chunk half of a finished job's ticket
    private static readonly Lazy<KernelThreads> SharedPool = new(() => new KernelThreads(DefaultThreadCount()));

    private readonly object _gate = new();
    private readonly Thread[] _workers;
    private readonly ManualResetEventSlim[] _wake;
    private IChunkedWork? _work;
    private int _chunks;
    private long _ticket;
    private int _completed;
    private volatile bool _stopping;
    private Exception? _failure;

    public KernelThreads(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
        _workers = new Thread[threadCount - 1];
        _wake = new ManualResetEventSlim[threadCount - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            int index = i;
            _wake[i] = new ManualResetEventSlim(false);
            _workers[i] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"kernel worker {i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>One pool per process, as wide as libtorch's intra-op thread count.</summary>
    public static KernelThreads Shared => SharedPool.Value;

    public int ThreadCount { get; }

    /// <summary>Runs chunks 0 … <paramref name="chunks"/> − 1 of <paramref name="work"/> on every thread; returns when all are done.</summary>
    public void Run(IChunkedWork work, int chunks)
    {
        if (chunks <= 0) return;
        if (_workers.Length == 0 || chunks == 1)
        {
            for (int c = 0; c < chunks; c++) work.RunChunk(c);
            return;
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _work = work;
            _chunks = chunks;
            _failure = null;
            Volatile.Write(ref _completed, 0);
            long job = (Volatile.Read(ref _ticket) >> 32) + 1;
            Interlocked.Exchange(ref _ticket, job << 32); // publishes the job's fields above
            foreach (var wake in _wake) wake.Set();
            RunChunks(job);
            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) < chunks) spinner.SpinOnce(sleep1Threshold: -1);
            // Close the job before its fields change for the next one: a worker that read this
            // job's ticket earlier can then neither claim a chunk nor count one.
            Interlocked.Exchange(ref _ticket, (job << 32) | Closed);
            _work = null;
            if (_failure is { } failure)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void RunChunks(long job)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            if (ticket >> 32 != job) return;
            uint chunk = (uint)ticket;
            if (chunk >= (uint)_chunks) return; // also when closed
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
            // The ticket of this job was taken, so the job's fields stay until its chunks are all done.
            try
            {
                _work!.RunChunk((int)chunk);
            }
            catch (Exception e)
            {
                // Rethrown on the calling thread; an exception on a worker would end the process.
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Increment(ref _completed);
        }
    }

    private void WorkerLoop(int index)
    {
        long seen = 0;
        while (!_stopping)
        {
            long job = WaitForJob(index, seen);
            if (_stopping) return;
            seen = job;
            RunChunks(job);
        }
    }

    private long WaitForJob(int index, long seen)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() - start < SpinTicks)
        {
            long job = Volatile.Read(ref _ticket) >> 32;
            if (job != seen || _stopping) return job;
            Thread.SpinWait(16);
        }
        while (true)
        {
            _wake[index].Reset();
            long job = Volatile.Read(ref _ticket) >> 32; // after Reset: a Set for a newer job cannot be missed
            if (job != seen || _stopping) return job;
            _wake[index].Wait();
        }
    }

    private static int DefaultThreadCount() => Math.Max(1, TorchSharp.torch.get_num_threads());

    public void Dispose()
    {
        _stopping = true;
        foreach (var wake in _wake) wake.Set();
        foreach (var worker in _workers) worker.Join();
        foreach (var wake in _wake) wake.Dispose();
    }
}
