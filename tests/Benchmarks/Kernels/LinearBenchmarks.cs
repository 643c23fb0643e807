using BenchmarkDotNet.Attributes;
using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Benchmarks.Kernels;

/// <summary>
/// One float32 matrix product of the 110M shape's largest layer matrix (gate_up: 4096 × 768,
/// 12.6 MB), y = x·Wᵀ for x of Rows rows: the engine's <see cref="CpuLinear"/> against libtorch's
/// linear. Repeated on one matrix, it runs out of whatever cache holds 12.6 MB (an EPYC's L3 does);
/// <c>engine-bench</c> measures the products as decode meets them, streamed from memory.
/// </summary>
public class LinearBenchmarks
{
    private Tensor _weight = null!;
    private Tensor _input = null!;

    [Params(1, 32)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _weight = torch.randn(4096, 768);
        _input = torch.randn(Rows, 768);
    }

    [Benchmark(Baseline = true)]
    public long Libtorch()
    {
        using var output = F.linear(_input, _weight);
        return output.shape[1];
    }

    [Benchmark]
    public long Engine()
    {
        using var output = CpuLinear.Forward(_input, _weight, null);
        return output.shape[1];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _weight.Dispose();
        _input.Dispose();
    }
}
