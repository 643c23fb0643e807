using Cluster.Engine.Weights;
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
}
