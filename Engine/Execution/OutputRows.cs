using Cluster.Engine.Kernels;
using Cluster.Engine.Sampling;

namespace Cluster.Engine.Execution;

/// <summary>
/// Turns the last stage's logits (one row per sequence that wants output) into results: a sampled
/// token, the raw row, or both. Rows are independent and the sampler keeps its scratch per
/// thread, so they are spread over <see cref="KernelThreads"/>: a full-vocabulary softmax per
/// token adds up over a large decode batch.
/// </summary>
internal sealed unsafe class OutputRows(IReadOnlyList<StageWork> batch, int[] wanted, float* logits, int vocab, StageResult[] results) : IChunkedWork
{
    public static void Fill(IReadOnlyList<StageWork> batch, int[] wanted, float* logits, int vocab, StageResult[] results) =>
        KernelThreads.Shared.Run(new OutputRows(batch, wanted, logits, vocab, results), wanted.Length);

    public void RunChunk(int chunk)
    {
        int index = wanted[chunk];
        var work = batch[index];
        var row = new ReadOnlySpan<float>(logits + (long)chunk * vocab, vocab);
        results[index] = results[index] with
        {
            Logits = work.Output.Logits ? row.ToArray() : null,
            Token = work.Output.Sampling is { } sampling ? Sampler.Sample(row, sampling, work.Output.Context!) : null,
        };
    }
}
