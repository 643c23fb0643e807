using Cluster.Engine.Execution;
using Cluster.Engine.Generation;
using Cluster.Engine.Sampling;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Generation;

public sealed class LocalGeneratorTests
{
    private static readonly SamplingParams Seeded = new() { Temperature = 1.0f, TopP = 0.95f, Seed = 42, MaxTokens = 24 };

    [Fact]
    public async Task GenerateAsync_WhenSeeded_TokensDoNotDependOnTheRestOfTheBatch()
    {
        using var checkpoint = new SyntheticCheckpoint(RandomModels.Gqa, seed: 5);
        using var chain = await PipelineChain.StartAsync(checkpoint, 1, new StageExecutorOptions { PageSize = 4, PageCount = 256 });
        await using var generator = new LocalGenerator(chain, new GeneratorOptions { MaxBatchTokens = 16 });
        var prompt = new[] { 1, 7, 9, 30, 12 };

        var alone = await Collect(generator.GenerateAsync(prompt, Seeded));

        var random = new Random(3);
        var crowd = Enumerable.Range(0, 6).Select(i => Collect(generator.GenerateAsync(
            RandomModels.Tokens(random, 3 + i * 5, RandomModels.Gqa.VocabSize),
            new SamplingParams { Temperature = 0.7f, Seed = i, MaxTokens = 10 + i }))).ToList();
        var together = Collect(generator.GenerateAsync(prompt, Seeded));
        await Task.WhenAll(crowd.Append(together));

        Assert.Equal(alone, await together);
        Assert.True(chain.Stages[0].Statistics.LargestBatch > 1, "the sequences never shared a pass");
        Assert.Equal(0, generator.Pages.UsedPages);
    }

    [Fact]
    public async Task GenerateAsync_WhenCallerCancels_StopsAndFreesPages()
    {
        using var checkpoint = new SyntheticCheckpoint(RandomModels.Gqa);
        using var chain = await PipelineChain.StartAsync(checkpoint, 2, new StageExecutorOptions { PageSize = 4, PageCount = 64 });
        await using var generator = new LocalGenerator(chain);
        using var cancel = new CancellationTokenSource();
        int received = 0;
        await foreach (var token in generator.GenerateAsync([1, 2, 3], new SamplingParams { Temperature = 0, MaxTokens = 100 }, cancel.Token))
        {
            if (++received == 3) cancel.Cancel();
        }
        Assert.InRange(received, 3, 5);
        Assert.Equal(0, generator.Pages.UsedPages);
    }

    [Fact]
    public async Task GenerateAsync_WhenPromptExceedsContext_FailsNamingTheWindow()
    {
        using var checkpoint = new SyntheticCheckpoint(RandomModels.Gqa);
        using var chain = await PipelineChain.StartAsync(checkpoint, 1, new StageExecutorOptions { PageCount = 64 });
        await using var generator = new LocalGenerator(chain);
        var prompt = Enumerable.Repeat(5, RandomModels.Gqa.MaxPositionEmbeddings).ToArray();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Collect(generator.GenerateAsync(prompt, SamplingParams.Greedy)));
        Assert.Contains("context window", error.Message);
    }

    private static async Task<List<int>> Collect(IAsyncEnumerable<GeneratedToken> tokens)
    {
        var ids = new List<int>();
        await foreach (var token in tokens) ids.Add(token.Token.TokenId);
        return ids;
    }
}
