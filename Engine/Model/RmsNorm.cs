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
        // x·x rather than x.square()/pow(2): those pass a small-integer Scalar that TorchSharp shares
        // between threads, and a dispose scope on one executor thread can free it under another.
        var scale = x32.mul(x32).mean([-1], keepdim: true).add_(eps).rsqrt_(); // (T, 1)
        var normed = x32.mul(scale);
        return (wide ? normed : normed.to(x.dtype)).mul_(weight).MoveToOuterDisposeScope();
    }

    public void Dispose() => weight.Dispose();
}
