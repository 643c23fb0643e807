namespace Cluster.Engine.Formats.Gguf;

/// <summary>
/// One tensor's entry in a GGUF file. <see cref="Dimensions"/> is ggml's order (innermost
/// first); <see cref="Shape"/> is the row-major order torch uses.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, long Offset)
{
    public long[] Shape => Dimensions.Reverse().ToArray();

    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => a * b);
}
