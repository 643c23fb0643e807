using Cluster.Engine.Kernels;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Model;

/// <summary>Every matrix product of the model: float32 on the CPU up to <see cref="CpuLinear.MaxRows"/> rows through <see cref="CpuLinear"/>, the rest through libtorch.</summary>
public static class Linear
{
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias = null) =>
        CpuLinear.Applies(x, weight) ? CpuLinear.Forward(x, weight, bias) : F.linear(x, weight, bias);
}
