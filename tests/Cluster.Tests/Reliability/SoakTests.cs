using Cluster.Grains.Client;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// Requests run for <c>RELIABILITY_SOAK_SECONDS</c> (default 45, at most 180) on the 2/2/1 split:
/// some finish, some are cancelled after a random number of tokens, and some belong to a client
/// that disappears mid-stream without a word. At the end no page is held anywhere and no silo's
/// memory has grown past a bound.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 6;

    private static TimeSpan Duration => TimeSpan.FromSeconds(Math.Clamp(
        int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SOAK_SECONDS"), out int s) ? s : 45, 5, 180));

    [RedisFact]
    public async Task Generate_WhenCallersCancelAndDisconnectAtRandom_NoPageLeaksAndMemoryStaysBounded()
    {
        using var timeout = new CancellationTokenSource(Duration + TimeSpan.FromMinutes(2));
        using var source = SpareCluster.OpenSource();
        await using var cluster = await SpareCluster.StartAsync(spares: 0, ["--kv-cache-mb", "4", "--page-lease", "5"]);
        int vocab = source.Config.VocabSize;
        var warm = await cluster.StagesAsync();
        long[] rssBefore = warm.Select(s => s.ProcessWorkingSetBytes).ToArray();
        long[] heapBefore = warm.Select(s => s.ManagedHeapBytes).ToArray();
        var end = DateTime.UtcNow + Duration;
        int finished = 0, cancelled = 0, disconnected = 0, failed = 0;
        var failures = new List<string>();

        async Task WorkerAsync(int worker)
        {
            var random = new Random(worker);
            for (int n = 0; DateTime.UtcNow < end; n++)
            {
                var request = new GenerateRequest(Requests.Prompt(worker * 1000 + n, random.Next(3, 60), vocab),
                    new SamplingSettings { Temperature = 0.8f, Seed = n, MaxTokens = random.Next(5, 80), IgnoreEos = random.Next(2) == 0 });
                int action = random.Next(10);
                try
                {
                    if (action < 2)
                    {
                        // A client that vanishes: its own connection, dropped mid-stream with the stream never disposed.
                        var gone = await Support.ClientHost.RedisAsync(cluster.ClusterId);
                        var stream = gone.Client.GenerateAsync(SpareCluster.Model, request, CancellationToken.None).GetAsyncEnumerator();
                        await stream.MoveNextAsync();
                        await gone.DisposeAsync();
                        Interlocked.Increment(ref disconnected);
                    }
                    else if (action < 5)
                    {
                        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                        int stopAfter = random.Next(1, 10);
                        int seen = 0;
                        try
                        {
                            await foreach (var _ in cluster.Client.GenerateAsync(SpareCluster.Model, request, cancel.Token).WithCancellation(cancel.Token))
                                if (++seen == stopAfter) await cancel.CancelAsync();
                        }
                        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !timeout.IsCancellationRequested)
                        {
                        }
                        Interlocked.Increment(ref cancelled);
                    }
                    else
                    {
                        await Requests.CollectAsync(cluster.Client.GenerateAsync(SpareCluster.Model, request, timeout.Token), timeout.Token);
                        Interlocked.Increment(ref finished);
                    }
                }
                catch (Exception e) when (!timeout.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                    lock (failures) failures.Add(e.ToString());
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkerAsync));
        var stages = await cluster.WaitForFullPoolsAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{Duration.TotalSeconds:F0} s: finished {finished}, cancelled {cancelled}, disconnected {disconnected}, failed {failed}");
        for (int i = 0; i < stages.Length; i++)
        {
            output.WriteLine($"{stages[i].Key}: free {stages[i].FreePages}/{stages[i].PageCount}, lease expiries {stages[i].LeaseExpiries}, " +
                $"RSS {rssBefore[i] >> 20} -> {stages[i].ProcessWorkingSetBytes >> 20} MiB, heap {heapBefore[i] >> 20} -> {stages[i].ManagedHeapBytes >> 20} MiB");
        }
        Assert.True(failed == 0, string.Join("\n", failures.Take(3)));
        Assert.True(finished > 0 && cancelled > 0 && disconnected > 0, "the soak did not exercise every ending");
        Assert.All(stages, s => Assert.True(s.FreePages == s.PageCount, $"{s.Key}: {s.FreePages} of {s.PageCount} pages free (a leak)"));
        for (int i = 0; i < stages.Length; i++)
        {
            // The K/V pool is allocated at start; what may grow is caches and the GC's slack, not per request.
            Assert.True(stages[i].ProcessWorkingSetBytes < rssBefore[i] * 3 / 2 + (256L << 20), $"{stages[i].Key}: RSS grew from {rssBefore[i] >> 20} to {stages[i].ProcessWorkingSetBytes >> 20} MiB");
            Assert.True(stages[i].ManagedHeapBytes < heapBefore[i] * 2 + (128L << 20), $"{stages[i].Key}: heap grew from {heapBefore[i] >> 20} to {stages[i].ManagedHeapBytes >> 20} MiB");
        }
    }
}
