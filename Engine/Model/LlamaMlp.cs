using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Model;

/// <summary>
/// The SwiGLU feed-forward block: down(silu(gate(x)) * up(x)). gate_proj and up_proj are fused
/// into one gate_up_proj at load, so both come from one matrix product.
/// </summary>
public sealed class LlamaMlp(WeightLoader weights, int layer) : IDisposable
{
    /// <summary>(2·intermediate, hidden): rows of gate_proj, then up_proj.</summary>
    public Tensor gate_up_proj { get; private set; } = weights.Fused(TensorNames.Gate(layer), TensorNames.Up(layer));

    public Tensor down_proj { get; private set; } = weights.Matrix(TensorNames.Down(layer));

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gateUp = Linear.Forward(x, gate_up_proj);                       // (T, 2·intermediate)
        long intermediate = gateUp.shape[1] / 2;
        var hidden = F.silu(gateUp.narrow(1, 0, intermediate)).mul_(gateUp.narrow(1, intermediate, intermediate)); // (T, intermediate)
        return Linear.Forward(hidden, down_proj).MoveToOuterDisposeScope(); // (T, hidden)
    }

    /// <summary>Moves the matrices into <paramref name="arena"/>, in the order a pass reads them.</summary>
    internal void PackInto(WeightArena arena)
    {
        gate_up_proj = arena.Place(gate_up_proj);
        down_proj = arena.Place(down_proj);
    }

    internal IEnumerable<Tensor> Matrices => [gate_up_proj, down_proj];

    public long ParameterBytes => new[] { gate_up_proj, down_proj }.Sum(t => t.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        gate_up_proj.Dispose();
        down_proj.Dispose();
    }
}
