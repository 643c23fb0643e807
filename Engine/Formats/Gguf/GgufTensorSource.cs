namespace Cluster.Engine.Formats.Gguf;

/// <summary>
/// A tensor to write: its GGUF name, row-major shape, stored type, and a function producing its
/// bytes. The bytes are produced only when the writer reaches the tensor, so exporting a model
/// holds one tensor in memory at a time, not the whole model.
/// </summary>
public sealed record GgufTensorSource(string Name, long[] Shape, GgmlType Type, Func<byte[]> Data)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteCount => GgmlTypeSizes.ByteCount(Type, ElementCount);
}
