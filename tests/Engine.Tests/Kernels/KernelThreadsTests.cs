using Cluster.Engine.Kernels;

namespace Cluster.Engine.Tests.Kernels;

public sealed class KernelThreadsTests
{
    [Fact]
    public async Task Run_WhenCalledFromSeveralThreadsAtOnce_RunsEveryChunkOfEveryJobExactlyOnce()
    {
        // Jobs of different sizes back to back: a worker that read the previous job's ticket must
        // never run a chunk of the next one (or a chunk number the next one does not have).
        using var pool = new KernelThreads(3);
        var jobs = new[] { 2, 13, 97, 250 }.Select(chunks => new CountingWork(chunks)).ToArray();
        await Task.WhenAll(jobs.Select(job => Task.Run(() =>
        {
            for (int round = 0; round < 2000; round++) pool.Run(job, job.Counts.Length);
        })));
        Assert.All(jobs, job => Assert.All(job.Counts, count => Assert.Equal(2000, count)));
    }

    [Fact]
    public async Task Run_AfterTheWorkersFellAsleep_StillRunsEveryChunkOnce()
    {
        using var pool = new KernelThreads(2);
        pool.Run(new CountingWork(8), 8);
        await Task.Delay(50); // past the spin window: the worker now waits on its event
        var work = new CountingWork(64);
        await Task.Run(() => pool.Run(work, 64)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(work.Counts, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(0)]     // back to back, as a pass's products
    [InlineData(15)]    // while the workers spin
    [InlineData(190)]   // as their spin ends
    [InlineData(1000)]  // after they fell asleep
    public void Run_WithJobsThisFarApart_RunsEveryChunkOfEveryJobOnce(int microseconds)
    {
        using var pool = new KernelThreads(3);
        var jobs = Enumerable.Range(0, 200).Select(_ => new CountingWork(16)).ToArray();
        foreach (var job in jobs)
        {
            var gap = System.Diagnostics.Stopwatch.StartNew();
            while (gap.Elapsed.TotalMicroseconds < microseconds) Thread.SpinWait(8);
            pool.Run(job, 16);
        }
        Assert.All(jobs, job => Assert.All(job.Counts, count => Assert.Equal(1, count)));
    }

    [Fact]
    public void Run_WhenAChunkThrows_RethrowsOnTheCallerAndStaysUsable()
    {
        using var pool = new KernelThreads(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(new FailingWork(13), 32));
        Assert.Contains("chunk 13", error.Message);

        var work = new CountingWork(32);
        pool.Run(work, 32);
        Assert.All(work.Counts, count => Assert.Equal(1, count));
    }

    private sealed class CountingWork(int chunks) : IChunkedWork
    {
        public int[] Counts { get; } = new int[chunks];

        public void RunChunk(int chunk) => Interlocked.Increment(ref Counts[chunk]);
    }

    private sealed class FailingWork(int failing) : IChunkedWork
    {
        public void RunChunk(int chunk)
        {
            if (chunk == failing) throw new InvalidOperationException($"chunk {chunk} failed");
        }
    }
}
