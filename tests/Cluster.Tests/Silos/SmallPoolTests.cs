using Cluster.Grains.Pipeline;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;
using Cluster.Grains.Stages;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

public sealed class SmallPoolTests(SmallPoolFixture cluster) : IClassFixture<SmallPoolFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private IRouterGrain Router => cluster.Client.GetGrain<IRouterGrain>(SmallPoolFixture.Model);

    private ISequenceGrain Sequence(int replica) => cluster.Client.GetGrain<ISequenceGrain>(SequenceKey.New(SmallPoolFixture.Model, replica).ToString());

    private IStageGrain Stage(int replica, int stage) => cluster.Client.GetGrain<IStageGrain>(new StageKey(SmallPoolFixture.Model, replica, stage).ToString());

    private GenerateRequest Request(int seed, int promptLength, int maxTokens) =>
        new(Requests.Prompt(seed, promptLength, cluster.Source.Config.VocabSize), SamplingSettings.Greedy with { MaxTokens = maxTokens, IgnoreEos = true });

    [Fact]
    public async Task Generate_WhenStreaming_HoldsPagesOnEveryStageOfItsReplica()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var key = SequenceKey.Parse(await Router.OpenSequenceAsync(timeout.Token));
        var sequence = cluster.Client.GetGrain<ISequenceGrain>(key.ToString());
        await using var stream = sequence.GenerateAsync(Request(1, 20, 30), timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await stream.MoveNextAsync());
        var status = await sequence.GetStatusAsync();

        // Pages are taken as tokens come: the prompt's 20 positions in pages of 8, and at most the
        // 20 + 30 - 1 positions of the whole sequence; on both stages.
        Assert.Equal(2, status.PageTables.Length);
        Assert.All(status.PageTables, t => Assert.InRange(t.Length, 3, 7));
        int tokens = 1;
        while (await stream.MoveNextAsync()) tokens++;
        Assert.Equal(30, tokens);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task OpenSequence_WhenOneReplicaHoldsASequence_PicksTheOtherReplica(int busy)
    {
        using var timeout = new CancellationTokenSource(Bound);
        // Holds 7 of the 8 pages on both stages of one replica the way a sequence grain does. A
        // generating sequence would not do: it runs on without a reader and frees its pages at the
        // end, possibly before the router is asked.
        var holder = SequenceKey.New(SmallPoolFixture.Model, busy).ToString();
        var stages = Enumerable.Range(0, 2).Select(s => Stage(busy, s)).ToArray();
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(10))); // nothing left from other tests
        try
        {
            foreach (var stage in stages) Assert.True((await stage.ReservePagesAsync(holder, 49)).Granted);

            var opened = SequenceKey.Parse(await Router.OpenSequenceAsync(timeout.Token));

            Assert.Equal(1 - busy, opened.Replica);
        }
        finally
        {
            foreach (var stage in stages) await stage.FreePagesAsync(holder);
        }
    }

    [Fact]
    public async Task ReservePages_WhenThreeSequencesHoldPagesOnATwoStagePipeline_PassesTakeTwoSequences()
    {
        var holders = Enumerable.Range(0, 3).Select(_ => SequenceKey.New(SmallPoolFixture.Model, 0).ToString()).ToArray();
        var stages = Enumerable.Range(0, 2).Select(s => Stage(0, s)).ToArray();
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(10)));
        try
        {
            foreach (var holder in holders)
                foreach (var stage in stages)
                    Assert.True((await stage.ReservePagesAsync(holder, 8)).Granted);

            var held = await Task.WhenAll(stages.Select(s => s.GetStatusAsync()));

            Assert.All(held, s => Assert.Equal(2, s.MaxPassSequences)); // one group per stage: ⌈3 ÷ 2⌉
        }
        finally
        {
            foreach (var holder in holders)
                foreach (var stage in stages)
                    await stage.FreePagesAsync(holder);
        }
        var freed = await Task.WhenAll(stages.Select(s => s.GetStatusAsync()));
        Assert.All(freed, s => Assert.Equal(1, s.MaxPassSequences));
    }

    [Fact]
    public async Task Generate_WhenTheRequestCannotFitAStage_FailsNamingPagesAtOnce()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Requests.CollectAsync(Sequence(0).GenerateAsync(Request(2, 40, 100), timeout.Token), timeout.Token));

        Assert.Contains("KV pages", error.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "it waited for pages that can never be free");
    }

    [Fact]
    public async Task Generate_WhenPagesAreShort_LaterRequestsWaitAndThenRun()
    {
        using var timeout = new CancellationTokenSource(Bound);
        // Each needs 5 of the 8 pages (30 + 10 - 1 positions): at most one runs at a time on replica 0.
        var runs = Enumerable.Range(0, 3).Select(i => Requests.CollectAsync(Sequence(0).GenerateAsync(Request(10 + i, 30, 10), timeout.Token), timeout.Token));

        var tokens = await Task.WhenAll(runs);

        Assert.All(tokens, t => Assert.Equal(10, t.Length));
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Generate_WhenSamplingIsInvalid_FailsNamingTheSetting()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var request = Request(3, 5, 5) with { Sampling = SamplingSettings.Greedy with { Temperature = -1 } };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Requests.CollectAsync(Sequence(1).GenerateAsync(request, timeout.Token), timeout.Token));

        Assert.Contains("temperature", error.Message);
    }

    [Fact]
    public async Task GetStages_WhenTwoReplicasServeTheModel_ReportsSeparatePools()
    {
        StageStatus[] stages = await Router.GetStagesAsync();

        Assert.Equal(["stories260k/0/0", "stories260k/0/1", "stories260k/1/0", "stories260k/1/1"], stages.Select(s => s.Key));
        Assert.All(stages, s => Assert.Equal(SmallPoolFixture.PageCount, s.PageCount));
    }
}
