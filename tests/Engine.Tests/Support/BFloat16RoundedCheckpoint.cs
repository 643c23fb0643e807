using Cluster.Engine.Config;
using Cluster.Engine.Weights;
using TorchSharp;

namespace Cluster.Engine.Tests.Support;

/// <summary>
/// Another checkpoint's weights rounded to bfloat16 and read back in the dtype asked for: a float32
/// stage over it computes in float32 with exactly the values a bfloat16 stage holds, the oracle for
/// how precisely a bfloat16 path computes.
/// </summary>
public sealed class BFloat16RoundedCheckpoint(ICheckpoint inner) : ICheckpoint
{
    public string Source => $"{inner.Source}, rounded to bfloat16";

    public ModelConfig Config => inner.Config;

    public bool Contains(string name) => inner.Contains(name);

    public long[] Shape(string name) => inner.Shape(name);

    public torch.Tensor Read(string name, torch.ScalarType dtype, torch.Device device)
    {
        using var rounded = inner.Read(name, torch.ScalarType.BFloat16, device);
        return rounded.to(dtype);
    }

    /// <summary>The inner checkpoint is not owned: whoever made it disposes it.</summary>
    public void Dispose() { }
}
