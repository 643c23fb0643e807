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
        bool wide = x.dtype == ScalarType.Float32;
        var x32 = wide ? x : x.to(ScalarType.Float32);
        // TorchSharp's implicit number-to-Scalar conversions leave the native Scalar to a finalizer,
        // which can free it while the call that uses it still runs: a Scalar made explicitly and
        // disposed after the call stays alive for it.
        using var epsilon = eps.ToScalar();
        var scale = x32.mul(x32).mean([-1], keepdim: true).add_(epsilon).rsqrt_(); // (T, 1)
        var normed = x32.mul(scale);
        return (wide ? normed : normed.to(x.dtype)).mul_(weight).MoveToOuterDisposeScope();
    }

    public void Dispose() => weight.Dispose();
}
