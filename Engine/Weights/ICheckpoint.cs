using Cluster.Engine.Config;
using TorchSharp;

namespace Cluster.Engine.Weights;

/// <summary>
/// A model's weights as stored in one format, read by Hugging Face tensor name
/// (<see cref="TensorNames"/>) and always returned in the HF runtime layout: q/k projection rows
/// in rotate-half RoPE order, whatever order the file keeps them in. Reading one tensor touches
/// only that tensor's bytes of the (memory-mapped) file, so a stage loads only its own layers.
/// </summary>
public interface ICheckpoint : IDisposable
{
    /// <summary>The file or directory the weights come from, for messages.</summary>
    string Source { get; }

    ModelConfig Config { get; }

    bool Contains(string name);

    /// <summary>The row-major shape of a tensor, without reading it.</summary>
    long[] Shape(string name);

    /// <summary>
    /// Reads a tensor, dequantized or converted to <paramref name="dtype"/>, on
    /// <paramref name="device"/>. Throws <see cref="Formats.ModelFormatException"/> naming the file
    /// when the tensor is missing, has the wrong shape for <see cref="Config"/>, or is truncated.
    /// </summary>
    torch.Tensor Read(string name, torch.ScalarType dtype, torch.Device device);
}
