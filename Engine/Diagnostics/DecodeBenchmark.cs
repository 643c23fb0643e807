using System.Diagnostics;
using Cluster.Engine.Execution;
using Cluster.Engine.Sampling;

namespace Cluster.Engine.Diagnostics;

/// <summary>
/// Decode speed of a pipeline: <c>concurrency</c> sequences are prefilled, then decoded together,
/// one token each per pass, greedy without logprobs; only the decode passes are timed.
/// </summary>
public static class DecodeBenchmark
{
    public static async Task<DecodeMeasurement> RunAsync(PipelineChain chain, int concurrency, int promptTokens, int steps, int seed = 0)
    {
        var config = chain.Stages[0].Config;
        int pagesPerSequence = (promptTokens + steps + chain.PageSize) / chain.PageSize;
        if (pagesPerSequence * concurrency > chain.PageCount)
            throw new ArgumentException($"{concurrency} sequences of {promptTokens + steps} tokens need {pagesPerSequence * concurrency} pages; the cache has {chain.PageCount}");
        var random = new Random(seed);
        var greedy = new SamplingParams { Temperature = 0, Logprobs = false }; // as the API samples a request that asks for no logprobs
        var pages = Enumerable.Range(0, concurrency).Select(s => Enumerable.Range(s * pagesPerSequence, pagesPerSequence).ToArray()).ToArray();
        var prompts = Enumerable.Range(0, concurrency).Select(_ => Enumerable.Range(0, promptTokens).Select(_ => random.Next(3, config.VocabSize)).ToArray()).ToArray();

        var next = await Pass(chain, Enumerable.Range(0, concurrency).Select(s => Work(s, 0, pages[s], prompts[s], greedy)).ToArray());
        var watch = Stopwatch.StartNew();
        for (int step = 0; step < steps; step++)
        {
            int cached = promptTokens + step;
            next = await Pass(chain, Enumerable.Range(0, concurrency).Select(s => Work(s, cached, pages[s], [next[s]], greedy)).ToArray());
        }
        return new DecodeMeasurement(concurrency, steps, watch.Elapsed);
    }

    private static StageWork Work(int sequence, int cached, int[] pages, int[] tokens, SamplingParams sampling) => new()
    {
        SequenceId = $"bench-{sequence}",
        CachedTokens = cached,
        PageIds = pages,
        TokenCount = tokens.Length,
        TokenIds = tokens,
        Output = OutputRequest.Sample(sampling, new SamplingContext([], [], cached, Seed: 0)),
    };

    private static async Task<int[]> Pass(PipelineChain chain, StageWork[] batch) =>
        (await chain.RunAsync(batch)).Select(r => r.Token!.TokenId).ToArray();
}
