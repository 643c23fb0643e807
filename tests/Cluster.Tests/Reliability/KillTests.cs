using Cluster.Engine.Execution;
using Cluster.Grains.Client;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// A silo is SIGKILLed in the middle of sixteen concurrent generations on a 2/2/1 split with one
/// spare: every request still finishes, token for token what the single-process engine gives,
/// none missing or twice, and every page comes back. When a middle stage dies, the replay runs
/// through the stage placed again only: the stages that kept their pages compute no row an
/// undisturbed run would not.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Streams = 16;
    private const int MaxTokens = 100;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private static readonly string[] Options = ["--kv-cache-mb", "4", "--stall-check", "0.5", "--page-lease", "8", "--probe-timeout", "1"];

    [RedisFact]
    public Task Generate_WhenTheFirstStageSiloIsKilledMidDecode_EveryRequestFinishesWithTheUndisturbedTokens() => KillMidDecodeAsync(victim: 0);

    [RedisFact]
    public Task Generate_WhenAMiddleStageSiloIsKilledMidDecode_EveryRequestFinishesWithTheUndisturbedTokens() => KillMidDecodeAsync(victim: 1);

    // The sequences die with this silo: callers find them gone (SequenceWatch) and resume them elsewhere.
    [RedisFact]
    public Task Generate_WhenTheLastStageSiloIsKilledMidDecode_ClientsResumeAndFinishWithTheUndisturbedTokens() => KillMidDecodeAsync(victim: 2);

    private async Task KillMidDecodeAsync(int victim)
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var source = SpareCluster.OpenSource();
        using var reference = new ReferenceForward(ReferenceCheckpoint.Open());
        int vocab = source.Config.VocabSize;
        var requests = Enumerable.Range(0, Streams).Select(i => new GenerateRequest(
            Requests.Prompt(700 + i, 5 + 3 * i, vocab),
            i % 2 == 0
                ? SamplingSettings.Greedy with { MaxTokens = MaxTokens, IgnoreEos = true }
                : new SamplingSettings { Temperature = 0.9f, TopK = 40, Seed = 90 + i, MaxTokens = MaxTokens, IgnoreEos = true })).ToArray();
        // Positions whose K/V a stage computes in an undisturbed run (the last token is never fed back).
        long undisturbedRows = requests.Sum(r => (long)r.PromptTokenIds.Length + MaxTokens - 1);
        var expected = requests.Select(r => Oracle.Generate(reference, source.Config, r)).ToArray();
        await using var cluster = await SpareCluster.StartAsync(spares: 1, Options);
        var before = await cluster.StagesAsync();
        // The sequences live on the last stage's silo. When another silo dies, callers attached
        // through the last one keep their streams, and the sequences replay in place; when the last
        // one dies, the sequences die with it, and callers attached through any silo resume them.
        bool sequencesSurvive = victim < before.Length - 1;
        await using var caller = sequencesSurvive ? await cluster.ConnectThroughAsync(cluster.Silos[before.Length - 1]) : null;
        var client = caller?.Client ?? cluster.Client;

        var streams = requests.Select(_ => new TimedStream()).ToArray();
        var runs = requests.Select((r, i) => streams[i].RunAsync(client.GenerateAsync(SpareCluster.Model, r, timeout.Token), timeout.Token)).ToArray();
        while (streams.Any(s => s.Count < 10) && !runs.All(r => r.IsCompleted)) await Task.Delay(5, timeout.Token);
        var killedAt = DateTime.UtcNow;
        int tokensBefore = streams.Sum(s => s.Count);
        cluster.Silos[victim].KillHard();
        await Task.WhenAll(runs);

        var after = await cluster.StagesAsync();
        var gaps = streams.Select(s => s.LongestGapSince(killedAt)).ToArray();
        output.WriteLine($"killed {cluster.Silos[victim].Name} at {tokensBefore} streamed tokens (every stream had >= 10); " +
            $"streams whose last token came before the kill: {streams.Count(s => s.Tokens.Count > 0 && s.Tokens[^1].At < killedAt)}");
        output.WriteLine($"sent {Streams}, completed {streams.Count(s => s.Error is null)}, failed {streams.Count(s => s.Error is not null)}, " +
            $"tokens {streams.Sum(s => s.Count)}, misplaced (missing or repeated) {streams.Sum(s => s.Misplaced)}, " +
            $"recovery: longest gap {gaps.Max().TotalMilliseconds:F0} ms, median gap {gaps.Order().ElementAt(gaps.Length / 2).TotalMilliseconds:F0} ms");
        output.WriteLine("stages after: " + string.Join("; ", after.Select(s => $"{s.Key}@{s.Silo} free {s.FreePages}/{s.PageCount} lease-expiries {s.LeaseExpiries}")));
        output.WriteLine($"rows an undisturbed run computes on each stage: {undisturbedRows}; computed (resent from the activation log) on each stage: " +
            string.Join(", ", after.Select((s, j) => $"stage {j} {(j == victim ? "placed again " : "")}{s.RowsComputed} ({s.RowsResent})")));
        Assert.All(streams, s => Assert.True(s.Error is null, $"{s.Error}\n{cluster.Logs}"));
        for (int i = 0; i < Streams; i++)
        {
            Assert.True(streams[i].Contiguous, $"stream {i}: token indexes are not 0..n-1");
            Assert.Equal(expected[i], streams[i].Ids);
        }
        Assert.NotEqual(before[victim].Silo, after[victim].Silo); // the spare took the dead silo's layers
        if (sequencesSurvive)
        {
            // The sequences lived on: stages that kept their pages recompute nothing (at most the
            // one step per stream whose report the replay overtook); the stage before the lost one
            // fed its replacement from its log.
            for (int j = 0; j < after.Length; j++)
                if (j != victim) Assert.InRange(after[j].RowsComputed - undisturbedRows, 0, Streams);
            if (victim > 0) Assert.True(after[victim - 1].RowsResent > 0, "the stage before the lost one resent nothing from its activation log");
        }
        var full = await cluster.WaitForFullPoolsAsync(TimeSpan.FromSeconds(30));
        Pools.AssertFull(full);
    }
}
