using Cluster.Grains.Client;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;
using Cluster.Grains.Stages;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

public sealed class SingleSiloTests(SingleSiloFixture cluster) : IClassFixture<SingleSiloFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private IRouterGrain Router => cluster.Client.GetGrain<IRouterGrain>(SingleSiloFixture.Model);

    [Fact]
    public async Task Generate_WhenEightRequestsRunAtOnce_TokensEqualTheSingleProcessEngine()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var requests = Requests.Mixed(cluster.Source.Config.VocabSize);

        var streams = requests.Select(r => Requests.CollectAsync(cluster.Client.GenerateAsync(SingleSiloFixture.Model, r, timeout.Token), timeout.Token));
        var actual = await Task.WhenAll(streams);

        for (int i = 0; i < requests.Length; i++)
            Assert.Equal(Oracle.Generate(cluster.Reference, cluster.Source.Config, requests[i]), actual[i]);
    }

    [Fact]
    public async Task Generate_WhenSixteenSequencesRunAtOnce_StagesRunBatchesLargerThanOne()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var before = await Router.GetStagesAsync();
        var requests = Enumerable.Range(0, 16).Select(i => new GenerateRequest(
            Requests.Prompt(200 + i, 6, cluster.Source.Config.VocabSize), SamplingSettings.Greedy with { MaxTokens = 16, IgnoreEos = true }));

        await Task.WhenAll(requests.Select(r => Requests.CollectAsync(cluster.Client.GenerateAsync(SingleSiloFixture.Model, r, timeout.Token), timeout.Token)));

        var after = await Router.GetStagesAsync();
        foreach (var (b, a) in before.Zip(after))
        {
            long batches = a.Batches - b.Batches, steps = a.SequenceSteps - b.SequenceSteps;
            Assert.True(steps > batches, $"{a.Key}: {steps} sequence-steps ran in {batches} passes: no batching");
            Assert.True(a.LargestBatch > 1, $"{a.Key}: largest batch {a.LargestBatch}");
        }
    }

    [Fact]
    public async Task Generate_WhenRequestsFinishOrAreCancelled_EveryPagePoolIsFullAgain()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var vocab = cluster.Source.Config.VocabSize;
        var finishing = Enumerable.Range(0, 4).Select(i => Requests.CollectAsync(cluster.Client.GenerateAsync(SingleSiloFixture.Model,
            new GenerateRequest(Requests.Prompt(300 + i, 10 + 7 * i, vocab), SamplingSettings.Greedy with { MaxTokens = 10 }), timeout.Token), timeout.Token));
        var cancelled = Enumerable.Range(0, 4).Select(async i =>
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            int seen = 0;
            var request = new GenerateRequest(Requests.Prompt(400 + i, 20, vocab), SamplingSettings.Greedy with { MaxTokens = 400, IgnoreEos = true });
            try
            {
                await foreach (var _ in cluster.Client.GenerateAsync(SingleSiloFixture.Model, request, cancel.Token).WithCancellation(cancel.Token))
                    if (++seen == 3) await cancel.CancelAsync();
            }
            catch (OperationCanceledException)
            {
            }
            return seen;
        });

        await Task.WhenAll(finishing);
        Assert.All(await Task.WhenAll(cancelled), seen => Assert.Equal(3, seen));

        var stages = await Pools.WaitUntilFullAsync(Router, TimeSpan.FromSeconds(20));
        Assert.All(stages, s => Assert.True(s.FreePages == s.PageCount && s.Sequences == 0, $"{s.Key}: {s.FreePages} of {s.PageCount} pages free, {s.Sequences} sequences hold pages"));
    }

    [Fact]
    public async Task Generate_WhenDecoding_MessagesCarryOneHiddenRowWhateverTheContextLength()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var vocab = cluster.Source.Config.VocabSize;
        // Contexts of 5 and 150 tokens: the K/V of the long one is ~30 times bigger, its messages are not.
        foreach (int length in new[] { 4, 140 })
        {
            await Requests.CollectAsync(cluster.Client.GenerateAsync(SingleSiloFixture.Model,
                new GenerateRequest(Requests.Prompt(500 + length, length, vocab), SamplingSettings.Greedy with { MaxTokens = 10, IgnoreEos = true }), timeout.Token), timeout.Token);
        }

        var stages = await Router.GetStagesAsync();
        WireAssertions.DecodeMessagesCarryOneRow(stages);
    }
}
