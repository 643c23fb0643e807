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

    private GenerateRequest Request(int seed, int promptLength, int maxTokens) =>
        new(Requests.Prompt(seed, promptLength, cluster.Source.Config.VocabSize), SamplingSettings.Greedy with { MaxTokens = maxTokens, IgnoreEos = true });

    [Fact]
    public async Task OpenSequence_WhenOneReplicaHoldsASequence_PicksTheOtherReplica()
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var first = SequenceKey.Parse(await Router.OpenSequenceAsync(timeout.Token));
        await using var stream = cluster.Client.GetGrain<ISequenceGrain>(first.ToString()).GenerateAsync(Request(1, 20, 30), hold.Token).GetAsyncEnumerator(hold.Token);
        Assert.True(await stream.MoveNextAsync()); // its pages are reserved on every stage of its replica now
        var status = await cluster.Client.GetGrain<ISequenceGrain>(first.ToString()).GetStatusAsync();
        Assert.Equal([7, 7], status.PageTables.Select(t => t.Length)); // 20 + 30 - 1 positions in pages of 8, on both stages

        var second = SequenceKey.Parse(await Router.OpenSequenceAsync(timeout.Token));

        Assert.NotEqual(first.Replica, second.Replica);
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
        var stages = await Router.GetStagesAsync();
        Assert.All(stages, s => Assert.Equal(s.PageCount, s.FreePages));
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
