using Cluster.Grains.Pipeline;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;
using Cluster.Grains.Stages;
using Cluster.Tests.Support;

namespace Cluster.Tests.Preemption;

/// <summary>
/// Pages taken as tokens are generated, and preemption by recompute when a stage runs dry, on a
/// one-stage and a three-stage pipeline with 8 pages of 8 tokens per stage. A holder that
/// reserves pages directly (as a sequence grain does, but never runs a step) fills the pools
/// where a case needs them full.
/// </summary>
public sealed class PreemptionTests(PreemptionFixture cluster) : IClassFixture<PreemptionFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private IRouterGrain Router(int stages) => cluster.Client(stages).GetGrain<IRouterGrain>(PreemptionFixture.Model);

    private IStageGrain[] Stages(int stages) =>
        [.. Enumerable.Range(0, stages).Select(s => cluster.Client(stages).GetGrain<IStageGrain>(new StageKey(PreemptionFixture.Model, 0, s).ToString()))];

    private GenerateRequest Request(int seed, int promptLength, int maxTokens) =>
        new(Requests.Prompt(seed, promptLength, cluster.Source.Config.VocabSize), SamplingSettings.Greedy with { MaxTokens = maxTokens, IgnoreEos = true });

    private async Task<ISequenceGrain> OpenAsync(int stages, CancellationToken cancellationToken) =>
        cluster.Client(stages).GetGrain<ISequenceGrain>(await Router(stages).OpenSequenceAsync(cancellationToken));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Generate_WhenTheRequestsMaxTokensExceedThePool_RunsThemTogetherAndStreamsTheEnginesTokens(int stages)
    {
        using var timeout = new CancellationTokenSource(Bound);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
        // Each may reach 6 + 40 - 1 positions: 6 pages, 24 for the four, where a stage has 8.
        var requests = Enumerable.Range(0, 4).Select(i => Request(500 + i, 6, 40)).ToArray();
        var sequences = await Task.WhenAll(requests.Select(_ => OpenAsync(stages, timeout.Token)));

        var tokens = await Task.WhenAll(sequences.Select((s, i) => Requests.CollectAsync(s.GenerateAsync(requests[i], timeout.Token), timeout.Token)));

        for (int i = 0; i < requests.Length; i++)
            Assert.Equal(Oracle.Generate(cluster.Reference, cluster.Source.Config, requests[i]), tokens[i]);
        var statuses = await Task.WhenAll(sequences.Select(s => s.GetStatusAsync()));
        // Reserved up front, one would run at a time and none would ever give way.
        Assert.True(statuses.Sum(s => s.Preemptions) > 0, "no sequence gave way: they did not run together");
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Generate_WhenAStageRunsDryMidDecode_GivesWayAndLaterStreamsTheSameTokensAsAnUndisturbedRun(int stages)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var request = Request(600 + stages, 6, 40);
        var sequence = await OpenAsync(stages, timeout.Token);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
        await using (var holder = await PoolHolder.FillAsync(Stages(stages), keepFree: 1))
        {
            var run = Requests.CollectAsync(sequence.GenerateAsync(request, timeout.Token), timeout.Token);
            // One page holds the prompt and the first decode steps; position 8 needs a second.
            await WaitForAsync(() => GaveWayAndWaitsAsync(sequence), timeout.Token);
            Assert.False(run.IsCompleted);
            await holder.DisposeAsync(); // the pages come back: the sequence is readmitted and replays its history

            Assert.Equal(Oracle.Generate(cluster.Reference, cluster.Source.Config, request), await run);
        }
        var status = await sequence.GetStatusAsync();
        Assert.Equal(1, status.Preemptions);
        Assert.Equal(0, status.Recoveries);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Cancel_WhenAPreemptedSequenceWaitsForPages_FreesNothingTwice(int stages)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var sequence = await OpenAsync(stages, timeout.Token);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
        await using (var holder = await PoolHolder.FillAsync(Stages(stages), keepFree: 1))
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var run = Requests.CollectAsync(sequence.GenerateAsync(Request(700 + stages, 6, 40), cancel.Token), cancel.Token);
            await WaitForAsync(() => GaveWayAndWaitsAsync(sequence), timeout.Token);

            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

            // The page it gave back is free once, and the holder's are untouched.
            var held = await Task.WhenAll(Stages(stages).Select(s => s.GetStatusAsync()));
            Assert.All(held, s => Assert.Equal((1, 1), (s.FreePages, s.Sequences)));
        }
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Generate_WhenStreaming_TheSequencesTablesGrowWithItsTokens(int stages)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var sequence = await OpenAsync(stages, timeout.Token);
        await using var stream = sequence.GenerateAsync(Request(800 + stages, 20, 30), timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await stream.MoveNextAsync());
        var atFirst = await sequence.GetStatusAsync();
        int tokens = 1;
        while (await stream.MoveNextAsync()) tokens++;

        // The prompt's 20 positions take 3 pages; the first token needs none of its own yet.
        Assert.True(atFirst.PageTables.All(t => t.Length >= 3 && t.Length <= 7), string.Join(" ", atFirst.PageTables.Select(t => t.Length)));
        Assert.Equal(stages, atFirst.PageTables.Length);
        Assert.Equal(30, tokens);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router(stages), TimeSpan.FromSeconds(10)));
    }

    /// <summary>Preempted once and holding no page anywhere: it waits in the admission queue.</summary>
    private static async Task<bool> GaveWayAndWaitsAsync(ISequenceGrain sequence)
    {
        var status = await sequence.GetStatusAsync();
        return status.Preemptions == 1 && status.PageTables.All(t => t is null || t.Length == 0);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition()) await Task.Delay(20, cancellationToken);
    }
}
