using System.Runtime.InteropServices;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Decode;

/// <summary>
/// The fused CPU decode pass against libtorch's operators: two executors of the same stage get the
/// same prefills and decode steps, one with the engine's kernels and one without, and must agree
/// on every output, with K/V written by either path read back by the other's next step.
/// </summary>
[Collection(CpuKernelsCollection.Name)]
public sealed class FusedDecodePassTests
{
    private const int PageSize = 3;
    private static readonly int[] PromptLengths = [2, 5, 7, 11];

    public static TheoryData<string, int, int> Stages()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in new[] { nameof(RandomModels.Gqa), nameof(RandomModels.Mha), nameof(RandomModels.WithBias) })
        {
            int layers = RandomModels.ByName(name).NumHiddenLayers;
            data.Add(name, 0, layers);          // the whole model
            data.Add(name, 0, 1);               // first stage: embeds token ids
            data.Add(name, 1, layers);          // last stage: LM head
            if (layers > 2) data.Add(name, 1, 2); // middle stage: hidden states in and out
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public Task DecodeSteps_AgreeWithLibtorchOperators(string model, int start, int end) =>
        DecodeStepsAgreeAsync(model, start, end, ScalarType.Float32);

    /// <summary>
    /// A bfloat16 stage: the fused pass reads bfloat16 weights and pages and computes in float32,
    /// where libtorch rounds every operator's output to bfloat16. Both are held to a float32 stage
    /// over the same bfloat16 values (<see cref="FusedDecodeComparison"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Stages))]
    public Task DecodeSteps_InBFloat16_AgreeWithLibtorchOperators(string model, int start, int end) =>
        DecodeStepsAgreeAsync(model, start, end, ScalarType.BFloat16);

    private static async Task DecodeStepsAgreeAsync(string model, int start, int end, ScalarType dtype)
    {
        var config = RandomModels.ByName(model);
        var range = new LayerRange(start, end, config.NumHiddenLayers);
        // Weights far larger than the default make attention sharp, so that a wrong query, key or
        // position shows in the output instead of averaging away.
        using var checkpoint = new SyntheticCheckpoint(config, seed: 5, std: 0.5);
        var options = new StageExecutorOptions { PageSize = PageSize, PageCount = 64, Dtype = dtype };
        using var comparison = await FusedDecodeComparison.StartAsync(checkpoint, range, options);
        var random = new Random(start * 31 + end);
        var cached = new int[PromptLengths.Length];
        var pages = Enumerable.Range(0, PromptLengths.Length).Select(s => Enumerable.Range(0, 8).Select(p => p * PromptLengths.Length + s).ToArray()).ToArray();
        try
        {
            for (int s = 0; s < PromptLengths.Length; s++)
            {
                var prefill = Work(range, config, s, cached[s], pages[s], PromptLengths[s], random, dtype);
                await comparison.RunAsync([prefill]);
                cached[s] += PromptLengths[s];
            }
            for (int step = 0; step < 8; step++)
            {
                int count = 1 + step % PromptLengths.Length;
                var batch = Enumerable.Range(0, count).Select(s => Work(range, config, s, cached[s], pages[s], 1, random, dtype)).ToArray();
                long fusedBefore = comparison.Fused.Statistics.FusedDecodePasses;
                var outputs = await comparison.RunAsync(batch);

                Assert.Equal(fusedBefore + 1, comparison.Fused.Statistics.FusedDecodePasses);
                Assert.Equal(0, comparison.Reference.Statistics.FusedDecodePasses);
                for (int s = 0; s < count; s++)
                {
                    outputs.AssertAgree(s, $"step {step}, sequence {s}");
                    cached[s]++;
                }
            }
            comparison.Precision.AssertFusedAtLeastAsPrecise();
        }
        finally
        {
            CpuKernels.Enabled = true;
        }
    }

    /// <summary>
    /// A batch of twenty sequences, where the products take the input packed in tiles of sixteen
    /// tokens (one whole tile, one mostly padding) instead of reading its rows in place.
    /// </summary>
    [Theory]
    [InlineData(nameof(RandomModels.Gqa), ScalarType.Float32)]
    [InlineData(nameof(RandomModels.WithBias), ScalarType.Float32)]
    [InlineData(nameof(RandomModels.Gqa), ScalarType.BFloat16)]
    public Task DecodeOfTwentySequences_AgreesWithLibtorchOperators(string model, ScalarType dtype) =>
        WholeModelDecodeAgreesAsync(model, Enumerable.Range(0, 20).Select(s => PromptLengths[s % PromptLengths.Length]).ToArray(), seed: 9, dtype);

    /// <summary>
    /// Contexts of a few hundred tokens for one to three sequences, where attention cuts each
    /// context into parts spread over the threads and merges them.
    /// </summary>
    [Theory]
    [InlineData(nameof(RandomModels.Gqa), 1, ScalarType.Float32)]
    [InlineData(nameof(RandomModels.Mha), 3, ScalarType.Float32)]
    [InlineData(nameof(RandomModels.Mha), 3, ScalarType.BFloat16)]
    public Task DecodeOverLongContexts_AgreesWithLibtorchOperators(string model, int sequences, ScalarType dtype) =>
        WholeModelDecodeAgreesAsync(model, new[] { 300, 130, 197 }[..sequences], seed: 13, dtype);

    /// <summary>
    /// Prefills one prompt of each length, then decodes three steps of all the sequences in one
    /// batch, with and without the engine's kernels, and compares every output.
    /// </summary>
    private static async Task WholeModelDecodeAgreesAsync(string model, int[] promptLengths, int seed, ScalarType dtype)
    {
        const int steps = 3;
        int sequences = promptLengths.Length;
        var config = RandomModels.ByName(model);
        var range = new LayerRange(0, config.NumHiddenLayers, config.NumHiddenLayers);
        using var checkpoint = new SyntheticCheckpoint(config, seed: (ulong)seed, std: 0.5);
        int pagesPerSequence = (promptLengths.Max() + steps) / PageSize + 1;
        var options = new StageExecutorOptions { PageSize = PageSize, PageCount = sequences * pagesPerSequence, Dtype = dtype };
        using var comparison = await FusedDecodeComparison.StartAsync(checkpoint, range, options);
        var random = new Random(seed);
        var cached = new int[sequences];
        var pages = Enumerable.Range(0, sequences).Select(s => Enumerable.Range(0, pagesPerSequence).Select(p => p * sequences + s).ToArray()).ToArray();
        try
        {
            for (int s = 0; s < sequences; s++)
            {
                await comparison.RunAsync([Work(range, config, s, 0, pages[s], promptLengths[s], random, dtype)]);
                cached[s] = promptLengths[s];
            }
            for (int step = 0; step < steps; step++)
            {
                var batch = Enumerable.Range(0, sequences).Select(s => Work(range, config, s, cached[s], pages[s], 1, random, dtype)).ToArray();
                var outputs = await comparison.RunAsync(batch);
                Assert.Equal(step + 1, comparison.Fused.Statistics.FusedDecodePasses);
                for (int s = 0; s < sequences; s++)
                {
                    outputs.AssertAgree(s, $"step {step}, sequence {s}");
                    cached[s]++;
                }
            }
            comparison.Precision.AssertFusedAtLeastAsPrecise();
        }
        finally
        {
            CpuKernels.Enabled = true;
        }
    }

    private static StageWork Work(LayerRange range, Config.ModelConfig config, int sequence, int cached, int[] pages, int tokens, Random random,
        ScalarType dtype) => new()
    {
        SequenceId = $"s{sequence}",
        CachedTokens = cached,
        PageIds = pages,
        TokenCount = tokens,
        TokenIds = range.IsFirst ? RandomModels.Tokens(random, tokens, config.VocabSize) : null,
        Hidden = range.IsFirst ? null : HiddenBytes(Enumerable.Range(0, tokens * config.HiddenSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), dtype),
        Output = range.IsLast ? OutputRequest.RawLogits : OutputRequest.None,
    };

    /// <summary>Hidden states as a stage of <paramref name="dtype"/> sends them.</summary>
    private static byte[] HiddenBytes(float[] values, ScalarType dtype) => dtype == ScalarType.BFloat16
        ? MemoryMarshal.AsBytes(values.Select(BFloat16Ops.FromSingle).ToArray().AsSpan()).ToArray()
        : MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
