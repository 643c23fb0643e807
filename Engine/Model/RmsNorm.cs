using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>Root-mean-square layer norm (Zhang and Sennrich, 2019), computed in float32.</summary>
public sealed class RmsNorm(Tensor weight, double eps) : IDisposable
{
    public Tensor weight { get; } = weight;

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normed = x32 * torch.rsqrt(x32.pow(2).mean([-1], keepdim: true) + eps);
        return (normed.to(x.dtype) * weight).MoveToOuterDisposeScope();
    }

    public void Dispose() => weight.Dispose();
}
