using BenchmarkDotNet.Attributes;
using Cluster.Engine.Attention;
using Cluster.Engine.Execution;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Benchmarks.Attention;

/// <summary>
/// Paged attention alone, one layer of the 110M shape: a decode batch of 32 sequences, each
/// attending over a 512-token context read back through its page table. Building the kernel
/// (the slot tables) is part of every step, so it is timed too.
/// </summary>
[MemoryDiagnoser]
public class PagedAttentionBenchmarks
{
    private const int Batch = 32;
    private const int Context = 512;
    private const int PageSize = 16;
    private PagedKvCache _cache = null!;
    private PagedSequence[] _sequences = [];
    private Tensor _q = null!, _k = null!, _v = null!;

    [Params("float32", "bfloat16")]
    public string Dtype { get; set; } = "float32";

    [GlobalSetup]
    public void Setup()
    {
        var config = Shapes.Llama110M;
        var dtype = DtypeNames.Parse(Dtype);
        int pagesEach = Context / PageSize;
        _cache = new PagedKvCache(config, layers: 1, PageSize, pagesEach * Batch, dtype, CPU);
        // Filled with noise so the softmax sees realistic, non-uniform scores.
        _cache.Keys(0).normal_();
        _cache.Values(0).normal_();
        // Pages interleaved across sequences, as a busy pool hands them out.
        _sequences = Enumerable.Range(0, Batch)
            .Select(s => new PagedSequence(s, 1, Context - 1, Enumerable.Range(0, pagesEach).Select(p => p * Batch + s).ToArray()))
            .ToArray();
        _q = torch.randn(Batch, config.NumAttentionHeads, config.HeadDim).to(dtype);   // (B, heads, hd)
        _k = torch.randn(Batch, config.NumKeyValueHeads, config.HeadDim).to(dtype);   // (B, kvHeads, hd)
        _v = torch.randn(Batch, config.NumKeyValueHeads, config.HeadDim).to(dtype);   // (B, kvHeads, hd)
    }

    [Benchmark]
    public long DecodeBatch32Context512()
    {
        using var inference = torch.inference_mode();
        using var kernel = new PagedAttention(_cache, _sequences, CPU);
        using var output = kernel.Attend(0, _q, _k, _v);
        return output.shape[0];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _q.Dispose();
        _k.Dispose();
        _v.Dispose();
        _cache.Dispose();
    }
}
