using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>Reads tensors for one device and dtype; norms stay float32 (they scale every activation).</summary>
public sealed class WeightLoader(ICheckpoint checkpoint, ScalarType dtype, Device device)
{
    public ICheckpoint Checkpoint { get; } = checkpoint;

    public ScalarType Dtype { get; } = dtype;

    public Device Device { get; } = device;

    public Tensor Matrix(string name) => Checkpoint.Read(name, Dtype, Device);

    public Tensor? OptionalBias(string name) => Checkpoint.Contains(name) ? Checkpoint.Read(name, Dtype, Device) : null;

    public Tensor Norm(string name) => Checkpoint.Read(name, Dtype, Device);

    /// <summary>Several checkpoint matrices stacked by rows into one runtime matrix (read one at a time).</summary>
    public Tensor Fused(params string[] names)
    {
        using var scope = NewDisposeScope();
        var parts = names.Select(Matrix).ToArray();
        return torch.cat(parts, dim: 0).MoveToOuterDisposeScope();
    }

    /// <summary>The biases of fused matrices, stacked the same way; null when the model has none.</summary>
    public Tensor? FusedBias(params string[] names)
    {
        if (!names.Any(Checkpoint.Contains)) return null;
        if (!names.All(Checkpoint.Contains))
            throw new Formats.ModelFormatException(Checkpoint.Source, $"biases {string.Join(", ", names)} must be all present or all absent");
        return Fused(names);
    }
}
