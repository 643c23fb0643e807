using BenchmarkDotNet.Attributes;
using Cluster.Engine.Sampling;

namespace Cluster.Benchmarks.Sampling;

/// <summary>
/// Sampling one token from a 32,000-entry logits row (the Llama-2 vocabulary): greedy with its
/// logprob, greedy without (the API's default: an argmax alone), and nucleus.
/// </summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private const int VocabSize = 32000;
    private static readonly SamplingParams GreedyNoLogprobs = SamplingParams.Greedy with { Logprobs = false };
    private static readonly SamplingParams TopP = new() { Temperature = 0.8f, TopP = 0.9f, Seed = 1 };
    private readonly SamplingContext _context = new([], [], Step: 0, Seed: 1);
    private float[] _logits = [];

    [GlobalSetup]
    public void Setup()
    {
        // Logits spread like a trained model's: a few high, a long tail.
        var random = new Random(0);
        _logits = Enumerable.Range(0, VocabSize).Select(_ => (float)(random.NextDouble() * 4 - 2 + (random.Next(100) == 0 ? 8 : 0))).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int Greedy() => Sampler.Sample(_logits, SamplingParams.Greedy, _context).TokenId;

    [Benchmark]
    public int GreedyWithoutLogprobs() => Sampler.Sample(_logits, GreedyNoLogprobs, _context).TokenId;

    [Benchmark]
    public int NucleusTopP() => Sampler.Sample(_logits, TopP, _context).TokenId;
}
