using Cluster.Engine.Execution;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Execution;

public sealed class PipelineChainTests
{
    [Theory]
    [InlineData(nameof(RandomModels.Gqa))]
    [InlineData(nameof(RandomModels.WithBias))]
    public async Task RunAsync_WhenLayersSplitIntoAnyStageCount_LogitsMatchOneStage(string model)
    {
        var config = RandomModels.ByName(model);
        using var checkpoint = new SyntheticCheckpoint(config, seed: 3);
        var options = new StageExecutorOptions { PageSize = 4, PageCount = 32 };
        var baseline = await LogitsOverSteps(checkpoint, 1, options);
        for (int stages = 2; stages <= config.NumHiddenLayers; stages++)
        {
            var split = await LogitsOverSteps(checkpoint, stages, options);
            for (int step = 0; step < baseline.Count; step++)
                for (int v = 0; v < baseline[step].Length; v++)
                    Assert.True(Math.Abs(baseline[step][v] - split[step][v]) <= 1e-5f,
                        $"{stages} stages, step {step}, token {v}: {split[step][v]} vs {baseline[step][v]}");
        }
    }

    private static async Task<List<float[]>> LogitsOverSteps(SyntheticCheckpoint checkpoint, int stages, StageExecutorOptions options)
    {
        using var chain = await PipelineChain.StartAsync(checkpoint, stages, options);
        var random = new Random(11);
        var tokens = RandomModels.Tokens(random, 10, checkpoint.Config.VocabSize).ToList();
        var pages = new[] { 5, 2, 9, 0, 7 };
        var logits = new List<float[]>();
        int cached = 0;
        for (int step = 0; step < 8; step++)
        {
            int count = tokens.Count - cached;
            var results = await chain.RunAsync([new StageWork
            {
                SequenceId = "s",
                CachedTokens = cached,
                PageIds = pages,
                TokenCount = count,
                TokenIds = tokens.Skip(cached).ToArray(),
                Output = OutputRequest.RawLogits,
            }]);
            cached = tokens.Count;
            logits.Add(results[0].Logits!);
            tokens.Add(random.Next(checkpoint.Config.VocabSize));
        }
        return logits;
    }
}
