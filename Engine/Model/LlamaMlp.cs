using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Model;

/// <summary>The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)).</summary>
public sealed class LlamaMlp(WeightLoader weights, int layer) : IDisposable
{
    public Tensor gate_proj { get; } = weights.Matrix(TensorNames.Gate(layer));
    public Tensor up_proj { get; } = weights.Matrix(TensorNames.Up(layer));
    public Tensor down_proj { get; } = weights.Matrix(TensorNames.Down(layer));

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var hidden = F.silu(F.linear(x, gate_proj)) * F.linear(x, up_proj); // (T, intermediate)
        return F.linear(hidden, down_proj).MoveToOuterDisposeScope();       // (T, hidden)
    }

    public long ParameterBytes => new[] { gate_proj, up_proj, down_proj }.Sum(t => t.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        gate_proj.Dispose();
        up_proj.Dispose();
        down_proj.Dispose();
    }
}
