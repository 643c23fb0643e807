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
        // which can free it while the call that uses it still runs: Scalars made explicitly and
        // disposed after the call stay alive for it. That includes add_'s alpha, which add_(Scalar)
        // would otherwise make implicitly from 1.
        using var epsilon = eps.ToScalar();
        using var one = 1.0.ToScalar();
        var scale = x32.mul(x32).mean([-1], keepdim: true).add_(epsilon, one).rsqrt_(); // (T, 1)
        var normed = x32.mul(scale);
        return (wide ? normed : normed.to(x.dtype)).mul_(weight).MoveToOuterDisposeScope();
    }

    public void Dispose() => weight.Dispose();
}
