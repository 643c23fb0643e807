using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Cluster.Engine.Attention;
using Cluster.Engine.Decode;
using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Benchmarks.Attention;

/// <summary>
/// The fused decode pass's attention alone (<see cref="DecodeAttentionWork"/>), one layer of the
/// 110M shape in float32: one new token per sequence over its cached context, read slot by slot
/// through interleaved pages, on the engine's threads. One sequence over a short context is the
/// single-sequence decode step; 32 over 512 tokens is a loaded server's.
/// </summary>
public unsafe class DecodeAttentionBenchmarks
{
    private const int PageSize = 16;
    private PagedKvCache _cache = null!;
    private long[][] _slots = [];
    private float* _queries, _output;
    private readonly DecodeAttentionWork _work = new();
    private int _heads, _kvHeads, _headDim;

    [Params(1, 32)]
    public int Sequences { get; set; }

    [Params(96, 512)]
    public int Context { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = Shapes.Llama110M;
        (_heads, _kvHeads, _headDim) = (config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim);
        int pagesEach = (Context + PageSize - 1) / PageSize;
        _cache = new PagedKvCache(config, layers: 1, PageSize, pagesEach * Sequences, ScalarType.Float32, CPU);
        // Noise, so the softmax sees realistic scores; pages interleaved as a busy pool hands them out.
        _cache.Keys(0).normal_();
        _cache.Values(0).normal_();
        _slots = Enumerable.Range(0, Sequences)
            .Select(s => Enumerable.Range(0, Context).Select(p => (long)(p / PageSize * Sequences + s) * PageSize + p % PageSize).ToArray())
            .ToArray();
        int queryWidth = (_heads + 2 * _kvHeads) * _headDim;
        _queries = (float*)NativeMemory.AlignedAlloc((nuint)(Sequences * queryWidth * sizeof(float)), 64);
        _output = (float*)NativeMemory.AlignedAlloc((nuint)(Sequences * _heads * _headDim * sizeof(float)), 64);
        var random = new Random(1);
        for (int i = 0; i < Sequences * queryWidth; i++) _queries[i] = (float)random.NextDouble() - 0.5f;
    }

    [Benchmark]
    public float Attend()
    {
        var threads = KernelThreads.Shared;
        int queryWidth = (_heads + 2 * _kvHeads) * _headDim;
        var keys = (float*)TensorMemory.Pointer(_cache.Keys(0));
        var values = (float*)TensorMemory.Pointer(_cache.Values(0));
        threads.Run(_work, _work.Prepare(_queries, queryWidth, _output, keys, values, bfloat16: false, _slots, _heads, _kvHeads, _headDim, threads.ThreadCount));
        _work.MergeParts();
        return _output[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_queries);
        NativeMemory.AlignedFree(_output);
        _cache.Dispose();
    }
}
