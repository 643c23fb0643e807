using Cluster.Engine.Execution;
using Cluster.Grains.Admission;
using Cluster.Grains.Client;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// A stage silo gets SIGTERM in the middle of sixteen concurrent generations on a 2/2/1 split with
/// one spare: it drains (finishes what runs on it, takes nothing new) and exits. Every running
/// request finishes with the single-process engine's tokens; requests sent while it drains are
/// served through the spare or refused as overloaded, never lost; every page comes back.
/// </summary>
public sealed class DrainTests(ITestOutputHelper output)
{
    private const int Streams = 16;
    private const int Latecomers = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private static readonly string[] Options = ["--kv-cache-mb", "4", "--stall-check", "0.5", "--page-lease", "8", "--probe-timeout", "1", "--drain-timeout", "60"];

    [RedisFact]
    public async Task Generate_WhenAMiddleStageSiloIsStoppedGracefullyMidDecode_RunningRequestsFinishAndNewOnesAreNotLost()
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var source = SpareCluster.OpenSource();
        using var reference = new ReferenceForward(ReferenceCheckpoint.Open());
        int vocab = source.Config.VocabSize;
        var requests = Enumerable.Range(0, Streams + Latecomers).Select(i => new GenerateRequest(
            Requests.Prompt(900 + i, 4 + 2 * i, vocab),
            i % 2 == 0
                ? SamplingSettings.Greedy with { MaxTokens = 100, IgnoreEos = true }
                : new SamplingSettings { Temperature = 0.8f, TopK = 30, Seed = 50 + i, MaxTokens = 100, IgnoreEos = true })).ToArray();
        var expected = requests.Select(r => Oracle.Generate(reference, source.Config, r)).ToArray();
        await using var cluster = await SpareCluster.StartAsync(spares: 1, Options);
        var victim = cluster.Silos[1];
        var before = await cluster.StagesAsync();

        var streams = requests.Select(_ => new TimedStream()).ToArray();
        var runs = requests.Take(Streams).Select((r, i) => streams[i].RunAsync(cluster.Client.GenerateAsync(SpareCluster.Model, r, timeout.Token), timeout.Token)).ToList();
        while (streams.Take(Streams).Any(s => s.Count < 10) && !runs.All(r => r.IsCompleted)) await Task.Delay(5, timeout.Token);
        var stoppedAt = DateTime.UtcNow;
        var drained = Task.Run(() => victim.Terminate(TimeSpan.FromSeconds(90)));
        await Task.Delay(500, timeout.Token); // the silo has started draining
        runs.AddRange(requests.Skip(Streams).Select((r, i) => streams[Streams + i].RunAsync(cluster.Client.GenerateAsync(SpareCluster.Model, r, timeout.Token), timeout.Token)));
        await Task.WhenAll(runs);
        Assert.True(await drained, $"{victim.Name} did not exit after draining\n{cluster.Logs}");

        int refused = streams.Count(s => s.Error is ClusterOverloadedException);
        var gaps = streams.Take(Streams).Select(s => s.LongestGapSince(stoppedAt)).ToArray();
        output.WriteLine($"sent {Streams} before the SIGTERM and {Latecomers} during the drain: completed {streams.Count(s => s.Error is null)}, " +
            $"refused as overloaded {refused}, failed otherwise {streams.Count(s => s.Error is not null and not ClusterOverloadedException)}, " +
            $"misplaced (missing or repeated) {streams.Sum(s => s.Misplaced)}, longest gap around the SIGTERM {gaps.Max().TotalMilliseconds:F0} ms");
        for (int i = 0; i < Streams; i++)
        {
            Assert.True(streams[i].Error is null, $"stream {i}: {streams[i].Error}\n{cluster.Logs}");
            Assert.True(streams[i].Contiguous, $"stream {i}: token indexes are not 0..n-1");
            Assert.Equal(expected[i], streams[i].Ids);
        }
        for (int i = Streams; i < Streams + Latecomers; i++)
        {
            Assert.True(streams[i].Error is null or ClusterOverloadedException, $"latecomer {i}: {streams[i].Error}\n{cluster.Logs}");
            if (streams[i].Error is null) Assert.Equal(expected[i], streams[i].Ids);
        }
        var full = await cluster.WaitForFullPoolsAsync(TimeSpan.FromSeconds(30));
        output.WriteLine("stages after: " + string.Join("; ", full.Select(s => $"{s.Key}@{s.Silo} free {s.FreePages}/{s.PageCount}")));
        Pools.AssertFull(full);
        Assert.NotEqual(before[1].Silo, full[1].Silo); // the spare took the drained silo's layers
    }
}
