using TorchSharp;

namespace Cluster.Engine.Tests.Weights.Support;

public static class Tensors
{
    /// <summary>Same shape and bit-for-bit the same values.</summary>
    public static bool Identical(torch.Tensor a, torch.Tensor b)
    {
        if (a.dtype != b.dtype || !a.shape.SequenceEqual(b.shape))
            return false;
        // TorchSharp's equal() is element-wise; reduce it.
        using var equal = a.eq(b);
        using var all = equal.all();
        return all.item<bool>();
    }
}
