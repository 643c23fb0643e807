using Cluster.Engine.Kernels;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Model;

/// <summary>Every matrix product of the model: thin inputs (decode) through <see cref="ThinLinear"/>, the rest through libtorch.</summary>
public static class Linear
{
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias = null) =>
        ThinLinear.Applies(x, weight) ? ThinLinear.Forward(x, weight, bias) : F.linear(x, weight, bias);
}
