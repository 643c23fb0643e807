using BenchmarkDotNet.Attributes;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using Cluster.Engine.Weights.Synthetic;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Benchmarks.Kernels;

/// <summary>
/// The float32 matrix products of one pass of the 110M shape (its 48 layer matrices and the LM
/// head, 438 MB) for inputs of Rows rows: the engine's <see cref="CpuLinear"/> against libtorch's
/// linear. With one row this is memory-bound (every weight streamed once), with hundreds compute-bound.
/// </summary>
public class LinearBenchmarks
{
    private LlamaStageModel _model = null!;
    private (Tensor Weight, Tensor Input)[] _products = [];

    [Params(1, 4, 32, 128, 512)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var checkpoint = new SyntheticCheckpoint(Shapes.Llama110M);
        _model = new LlamaStageModel(checkpoint, LayerRange.All(checkpoint.Config.NumHiddenLayers), ScalarType.Float32, CPU);
        _products = _model.layers
            .SelectMany(l => new[] { l.self_attn.qkv_proj, l.self_attn.o_proj, l.mlp.gate_up_proj, l.mlp.down_proj })
            .Append(_model.lm_head!)
            .Select(w => (w, torch.randn(Rows, w.shape[1])))
            .ToArray();
    }

    [Benchmark(Baseline = true)]
    public long Libtorch() => Pass(x => F.linear(x.Input, x.Weight));

    [Benchmark]
    public long Engine() => Pass(x => CpuLinear.Forward(x.Input, x.Weight, null));

    private long Pass(Func<(Tensor Weight, Tensor Input), Tensor> product)
    {
        long columns = 0;
        foreach (var operands in _products)
        {
            using var output = product(operands);
            columns += output.shape[1];
        }
        return columns;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (_, input) in _products) input.Dispose();
        _model.Dispose();
    }
}
