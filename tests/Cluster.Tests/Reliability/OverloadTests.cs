using Cluster.Engine.Execution;
using Cluster.Grains.Admission;
using Cluster.Grains.Client;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// Four times more concurrent requests than the KV pages hold, on one silo with a two-stage
/// pipeline, 24 pages per stage and an admission queue of four: every request either completes
/// with the engine's tokens or is refused with <see cref="ClusterOverloadedException"/> (the
/// API's 429); none is lost or fails otherwise, and the pools are full again afterwards.
/// </summary>
public sealed class OverloadTests(ITestOutputHelper output)
{
    private const int PageCount = 24;
    private const int PageSize = 8;
    private const int MaxQueued = 4;

    [Fact]
    public async Task Generate_WhenFourTimesTheKvCapacityArrivesAtOnce_EachCompletesOrIsRefusedAndPoolsRefill()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var source = SpareCluster.OpenSource();
        using var reference = new ReferenceForward(ReferenceCheckpoint.Open());
        int gateway = FreePorts.Next();
        using var silo = await SiloProcess.StartAsync("overload", [
            "--model", SharedModels.Stories260K, "--model-name", SpareCluster.Model, "--stage-count", "2",
            "--page-size", PageSize.ToString(), "--page-count", PageCount.ToString(), "--max-queued", MaxQueued.ToString(), "--admission-timeout", "60",
            "--silo-port", FreePorts.Next().ToString(), "--gateway-port", gateway.ToString(),
        ], TimeSpan.FromSeconds(90));
        await using var client = await ClientHost.LocalhostAsync(gateway);
        await client.Client.WaitForPlanAsync(SpareCluster.Model, TimeSpan.FromSeconds(30));
        var router = client.Client.GetGrain<IRouterGrain>(SpareCluster.Model);
        await router.GetStagesAsync();

        // Each needs 6 pages (24 + 24 - 1 positions): 4 fit in the 24 pages, 16 are sent at once.
        int capacity = PageCount / 6, sent = 4 * capacity;
        var requests = Enumerable.Range(0, sent).Select(i => new GenerateRequest(
            Requests.Prompt(900 + i, 24, source.Config.VocabSize), SamplingSettings.Greedy with { MaxTokens = 24, IgnoreEos = true })).ToArray();
        var streams = requests.Select(_ => new TimedStream()).ToArray();
        await Task.WhenAll(requests.Select((r, i) => streams[i].RunAsync(client.Client.GenerateAsync(SpareCluster.Model, r, timeout.Token), timeout.Token)));

        int completed = streams.Count(s => s.Error is null);
        int refused = streams.Count(s => s.Error is ClusterOverloadedException);
        var stages = await router.GetStagesAsync();
        output.WriteLine($"sent {sent} (KV capacity {capacity} at once, queue {MaxQueued}): completed {completed}, refused {refused}, " +
            $"failed otherwise {sent - completed - refused}; pools " + string.Join(", ", stages.Select(s => $"{s.Key} {s.FreePages}/{s.PageCount}")));
        Assert.All(streams.Where(s => s.Error is not null and not ClusterOverloadedException), s => Assert.Fail($"{s.Error}\n{silo.Log}"));
        Assert.Equal(sent, completed + refused);
        Assert.InRange(completed, capacity, sent);
        Assert.True(refused > 0, "sixteen requests at once never filled a queue of four");
        var overloaded = streams.Select(s => s.Error).OfType<ClusterOverloadedException>().First();
        Assert.True(overloaded.RetryAfterSeconds >= 1, "the refusal carries no retry-after hint");
        Assert.Contains("overloaded", overloaded.Message);
        for (int i = 0; i < sent; i++)
        {
            if (streams[i].Error is not null) continue;
            Assert.Equal(Oracle.Generate(reference, source.Config, requests[i]), streams[i].Ids);
        }
        Pools.AssertFull(await Pools.WaitUntilFullAsync(router, TimeSpan.FromSeconds(10)));
    }
}
