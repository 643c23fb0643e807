using BenchmarkDotNet.Attributes;
using static TorchSharp.torch;

namespace Cluster.Benchmarks.Attention;

/// <summary>
/// <see cref="DecodeAttentionBenchmarks"/> with the caches emptied before every run, as in a
/// decode pass: between one layer's attention in one pass and the next, every weight of the
/// model streams through the caches, so a pass reads its K/V from memory.
/// </summary>
[InvocationCount(1)]
public class ColdDecodeAttentionBenchmarks
{
    private readonly DecodeAttentionBenchmarks _warm = new();
    private Tensor _flush = null!;

    [Params(1, 32)]
    public int Sequences { get; set; }

    [Params(96, 512)]
    public int Context { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_warm.Sequences, _warm.Context) = (Sequences, Context);
        _warm.Setup();
        _flush = ones(192L << 20); // 768 MiB, far more than any cache
    }

    [IterationSetup]
    public void EmptyCaches()
    {
        using var sum = _flush.sum();
        _ = sum.item<float>();
    }

    [Benchmark]
    public float Attend() => _warm.Attend();

    [GlobalCleanup]
    public void Cleanup()
    {
        _warm.Cleanup();
        _flush.Dispose();
    }
}
