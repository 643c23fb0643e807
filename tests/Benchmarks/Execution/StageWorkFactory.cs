using Cluster.Engine.Execution;
using Cluster.Engine.Sampling;

namespace Cluster.Benchmarks.Execution;

/// <summary>Greedy work items over a fixed page layout: sequence s owns pages [s * pagesEach, (s + 1) * pagesEach).</summary>
internal static class StageWorkFactory
{
    public static StageWork Work(int sequence, int pagesEach, int cached, int[] tokens) => new()
    {
        SequenceId = $"bench-{sequence}",
        CachedTokens = cached,
        PageIds = Enumerable.Range(sequence * pagesEach, pagesEach).ToArray(),
        TokenCount = tokens.Length,
        TokenIds = tokens,
        Output = OutputRequest.Sample(SamplingParams.Greedy, new SamplingContext([], [], cached, Seed: 0)),
    };

    public static int[] RandomTokens(Random random, int count, int vocabSize) =>
        Enumerable.Range(0, count).Select(_ => random.Next(3, vocabSize)).ToArray();
}
