using Cluster.Grains.Client;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Silos;

public sealed class ThreeSiloTests(ThreeSiloFixture cluster, ITestOutputHelper output) : IClassFixture<ThreeSiloFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    [RedisFact]
    public async Task Generate_WhenRunOnThreeSilos_SequenceLivesOnTheLastStageSiloAndKeepsItsHistory()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var key = await Router.OpenSequenceAsync(timeout.Token);
        var sequence = cluster.Client.GetGrain<ISequenceGrain>(key);
        var request = Requests.Mixed(cluster.Source.Config.VocabSize)[3];

        var tokens = await Requests.CollectAsync(sequence.GenerateAsync(request, timeout.Token), timeout.Token);

        var status = await sequence.GetStatusAsync();
        var stages = await Router.GetStagesAsync();
        Assert.Equal(stages[^1].Silo, status.Silo);
        Assert.NotEqual(stages[0].Silo, status.Silo);
        Assert.Equal(request.PromptTokenIds, status.PromptTokenIds);
        Assert.Equal(tokens, status.OutputTokenIds);
        Assert.True(status.Finished);
        Assert.Empty(status.PageTables);
    }

    private IRouterGrain Router => cluster.Client.GetGrain<IRouterGrain>(ThreeSiloFixture.Model);

    [RedisFact]
    public async Task Generate_WhenEightRequestsRunOnThreeSilos_TokensEqualTheSingleProcessEngine()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var plan = await Router.GetPlanAsync();
        Assert.Equal([3], plan.StagesPerReplica);
        var requests = Requests.Mixed(cluster.Source.Config.VocabSize);

        var actual = await Task.WhenAll(requests.Select(r =>
            Requests.CollectAsync(cluster.Client.GenerateAsync(ThreeSiloFixture.Model, r, timeout.Token), timeout.Token)));

        for (int i = 0; i < requests.Length; i++)
            Assert.Equal(Oracle.Generate(cluster.Reference, cluster.Source.Config, requests[i]), actual[i]);
        var stages = await Router.GetStagesAsync();
        foreach (var s in stages) output.WriteLine(s.ToString());
        Assert.Equal(3, stages.Select(s => s.Silo).Distinct().Count());
        Assert.Equal([2, 2, 1], stages.Select(s => s.EndLayer - s.FirstLayer));
        Assert.All(stages, s => Assert.True(s.LargestBatch > 1, $"{s.Key}: eight concurrent sequences never shared a pass"));
        // Decode steps crossed two silo boundaries carrying one hidden row each, never K/V.
        WireAssertions.DecodeMessagesCarryOneRow(stages);
        Pools.AssertFull(await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(20)));
    }
}
