using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights;

/// <summary>
/// Where one tensor's bytes lie and how they are encoded. ggml's type list names every encoding
/// any supported format uses (safetensors F32/F16/BF16 included), so it serves as the one enum.
/// </summary>
/// <param name="Shape">Row-major shape of the tensor as stored.</param>
/// <param name="InterleavedRopeHeads">
/// For q/k projections (weights or biases) stored in the interleaved-pair RoPE layout: the head
/// count to convert with. Zero when the rows are already in HF rotate-half order.
/// </param>
public sealed record StoredTensor(
    string Name, MappedFile File, long Offset, long[] Shape, GgmlType Type, int InterleavedRopeHeads = 0)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteCount => GgmlTypeSizes.ByteCount(Type, ElementCount);
}
