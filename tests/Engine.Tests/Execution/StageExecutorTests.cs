using Cluster.Engine.Config;
using Cluster.Engine.Execution;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Execution;

public sealed class StageExecutorTests
{
    [Fact]
    public async Task RunAsync_WhenRunningThousandSteps_LiveTensorCountStaysFlat()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StageExecutor.StartAsync(checkpoint, LayerRange.All(config.NumHiddenLayers),
            new StageExecutorOptions { PageSize = 8, PageCount = 16 });
        var random = new Random(1);
        long? afterWarmUp = null;
        int steps = 0;
        while (steps < 1000)
        {
            // A sequence lives 50 steps (a prompt, then decodes) and its pages are reused by the next.
            int cached = 0;
            for (int i = 0; i < 50; i++, steps++)
            {
                int count = i == 0 ? 6 : 1;
                await executor.RunAsync([new StageWork
                {
                    SequenceId = $"s{steps}",
                    CachedTokens = cached,
                    PageIds = [3, 1, 4, 15, 9, 2, 6, 5],
                    TokenCount = count,
                    TokenIds = RandomModels.Tokens(random, count, config.VocabSize),
                    Output = OutputRequest.RawLogits,
                }]);
                cached += count;
            }
            afterWarmUp ??= executor.Statistics.LiveTensors;
        }
        Assert.Equal(afterWarmUp, executor.Statistics.LiveTensors);
        Assert.Equal(1000, executor.Statistics.Batches);
    }

    [Fact]
    public async Task SubmitAsync_WhenManySequencesQueueAtOnce_BatchesThemTogether()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StageExecutor.StartAsync(checkpoint, LayerRange.All(config.NumHiddenLayers),
            new StageExecutorOptions { PageSize = 4, PageCount = 64 });
        var random = new Random(2);
        var submissions = Enumerable.Range(0, 16).Select(i => executor.SubmitAsync(new StageWork
        {
            SequenceId = $"s{i}",
            CachedTokens = 0,
            PageIds = [i * 2, i * 2 + 1],
            TokenCount = 5,
            TokenIds = RandomModels.Tokens(random, 5, config.VocabSize),
            Output = OutputRequest.RawLogits,
        })).ToArray();
        var results = await Task.WhenAll(submissions);
        Assert.All(results, r => Assert.Equal(config.VocabSize, r.Logits!.Length));
        Assert.True(executor.Statistics.LargestBatch > 1, $"largest batch was {executor.Statistics.LargestBatch}");
        Assert.True(executor.Statistics.Batches < 16);
    }

    /// <summary>
    /// Four decode steps that left the previous stage together but arrive apart (as messages do)
    /// still run as one pass once the last pass took four, and a lone sequence never waits. The
    /// gaps allowed are long (10 s) so a busy test machine cannot split the four, and a wait
    /// would show plainly.
    /// </summary>
    [Fact]
    public async Task SubmitAsync_WhenABatchArrivesMessageByMessage_WaitsForTheRestOfIt()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StartWithLongGathersAsync(checkpoint);
        var random = new Random(3);
        StageWork Step(int sequence, int cached) => DecodeStep(random, config, sequence, cached);
        await executor.RunAsync(Enumerable.Range(0, 4).Select(s => Step(s, 0)).ToArray()); // the last pass took four
        long before = executor.Statistics.Batches;

        // Sent from a thread of its own, 20 ms apart: no thread-pool delay can stretch the gaps.
        var arriving = new Task<StageResult>[4];
        var sender = new Thread(() =>
        {
            for (int s = 0; s < arriving.Length; s++)
            {
                if (s > 0) Thread.Sleep(20);
                arriving[s] = executor.SubmitAsync(Step(s, 1));
            }
        });
        sender.Start();
        sender.Join();
        await Task.WhenAll(arriving);
        Assert.Equal(before + 1, executor.Statistics.Batches);

        await executor.RunAsync([Step(0, 2)]); // now the last pass took one
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await executor.SubmitAsync(Step(0, 3));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"a lone sequence waited {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(before + 3, executor.Statistics.Batches);
    }

    /// <summary>
    /// With passes capped at four sequences, sixteen steps run as four passes of four, even though
    /// the last pass took sixteen and every pass would otherwise wait (10 s gaps allowed) for as
    /// many again; and each still gets its own result.
    /// </summary>
    [Fact]
    public async Task SubmitAsync_WhenPassesAreCappedAtFourSequences_RunsSixteenStepsInFourPasses()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StartWithLongGathersAsync(checkpoint);
        var random = new Random(4);
        StageWork Step(int sequence, int cached) => DecodeStep(random, config, sequence, cached);
        await executor.RunAsync(Enumerable.Range(0, 16).Select(s => Step(s, 0)).ToArray()); // the last pass took sixteen
        long before = executor.Statistics.Batches;

        executor.MaxPassSequences = 4;
        var steps = Enumerable.Range(0, 16).Select(s => executor.SubmitAsync(Step(s, 1))).ToArray();
        var results = await Task.WhenAll(steps);

        Assert.Equal(before + 4, executor.Statistics.Batches);
        Assert.Equal(Enumerable.Range(0, 16).Select(s => $"s{s}"), results.Select(r => r.SequenceId));
        Assert.All(results, r => Assert.Equal(config.VocabSize, r.Logits!.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => executor.MaxPassSequences = 0);
    }

    [Fact]
    public async Task RunAsync_WhenHiddenStatesHaveWrongSize_FailsNamingTheSequence()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StageExecutor.StartAsync(checkpoint, new LayerRange(1, 3, 3), new StageExecutorOptions { PageCount = 4 });
        var error = await Assert.ThrowsAsync<ArgumentException>(() => executor.RunAsync([new StageWork
        {
            SequenceId = "broken",
            CachedTokens = 0,
            PageIds = [0],
            TokenCount = 2,
            Hidden = new byte[10],
        }]));
        Assert.Contains("broken", error.Message);
        Assert.Contains("hidden states", error.Message);
    }

    /// <summary>An executor over the whole model whose passes wait up to 10 s for the rest of a batch (so a busy machine cannot split one).</summary>
    private static Task<StageExecutor> StartWithLongGathersAsync(SyntheticCheckpoint checkpoint) =>
        StageExecutor.StartAsync(checkpoint, LayerRange.All(checkpoint.Config.NumHiddenLayers), new StageExecutorOptions
        {
            PageSize = 4, PageCount = 64, BatchArrivalGap = TimeSpan.FromSeconds(10), MaxBatchGather = TimeSpan.FromSeconds(10),
        });

    /// <summary>One decode token of sequence <paramref name="sequence"/> (pages 2s and 2s + 1) after <paramref name="cached"/> tokens.</summary>
    private static StageWork DecodeStep(Random random, ModelConfig config, int sequence, int cached) => new()
    {
        SequenceId = $"s{sequence}",
        CachedTokens = cached,
        PageIds = [sequence * 2, sequence * 2 + 1],
        TokenCount = 1,
        TokenIds = RandomModels.Tokens(random, 1, config.VocabSize),
        Output = OutputRequest.RawLogits,
    };
}
