using Cluster.Engine.Execution;
using Cluster.Grains.Client;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// A silo is SIGKILLed in the middle of sixteen concurrent generations on a 2/2/1 split with one
/// spare: every request still finishes, token for token what the single-process engine gives,
/// none missing or twice, and every page comes back.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Streams = 16;
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    private static readonly string[] Options = ["--kv-cache-mb", "4", "--stall-check", "0.5", "--page-lease", "8", "--probe-timeout", "1"];

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
                ? SamplingSettings.Greedy with { MaxTokens = 100, IgnoreEos = true }
                : new SamplingSettings { Temperature = 0.9f, TopK = 40, Seed = 90 + i, MaxTokens = 100, IgnoreEos = true })).ToArray();
        var expected = requests.Select(r => Oracle.Generate(reference, source.Config, r)).ToArray();
        await using var cluster = await SpareCluster.StartAsync(spares: 1, Options);
        var before = await cluster.StagesAsync();

        var streams = requests.Select(_ => new TimedStream()).ToArray();
        var runs = requests.Select((r, i) => streams[i].RunAsync(cluster.Client.GenerateAsync(SpareCluster.Model, r, timeout.Token), timeout.Token)).ToArray();
        while (streams.Any(s => s.Count < 10) && !runs.All(r => r.IsCompleted)) await Task.Delay(5, timeout.Token);
        var killedAt = DateTime.UtcNow;
        int tokensBefore = streams.Sum(s => s.Count);
        cluster.Silos[victim].KillHard();
        await Task.WhenAll(runs);

        var after = await cluster.StagesAsync();
        var gaps = streams.Select(s => s.GapAround(killedAt)).ToArray();
        output.WriteLine($"killed {cluster.Silos[victim].Name} at {tokensBefore} streamed tokens (every stream had >= 10); " +
            $"streams whose last token came before the kill: {streams.Count(s => s.Tokens.Count > 0 && s.Tokens[^1].At < killedAt)}");
        output.WriteLine($"sent {Streams}, completed {streams.Count(s => s.Error is null)}, failed {streams.Count(s => s.Error is not null)}, " +
            $"tokens {streams.Sum(s => s.Count)}, misplaced (missing or repeated) {streams.Sum(s => s.Misplaced)}, " +
            $"recovery: longest gap {gaps.Max().TotalMilliseconds:F0} ms, median gap {gaps.Order().ElementAt(gaps.Length / 2).TotalMilliseconds:F0} ms");
        output.WriteLine("stages after: " + string.Join("; ", after.Select(s => $"{s.Key}@{s.Silo} free {s.FreePages}/{s.PageCount} lease-expiries {s.LeaseExpiries}")));
        Assert.All(streams, s => Assert.True(s.Error is null, $"{s.Error}\n{cluster.Logs}"));
        for (int i = 0; i < Streams; i++)
        {
            Assert.True(streams[i].Contiguous, $"stream {i}: token indexes are not 0..n-1");
            Assert.Equal(expected[i], streams[i].Ids);
        }
        Assert.NotEqual(before[victim].Silo, after[victim].Silo); // the spare took the dead silo's layers
        var full = await cluster.WaitForFullPoolsAsync(TimeSpan.FromSeconds(30));
        Assert.All(full, s => Assert.True(s.FreePages == s.PageCount, $"{s.Key}: {s.FreePages} of {s.PageCount} pages free"));
    }
}
