namespace Cluster.Engine.Formats.Gguf;

/// <summary>Block geometry of ggml types: how many elements a block holds and its size in bytes.</summary>
public static class GgmlTypeSizes
{
    public static (int BlockElements, int BlockBytes) Block(GgmlType type) => type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.BF16 => (1, 2),
        GgmlType.F64 => (1, 8),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.Q4_0 => (32, 18),
        GgmlType.Q4_1 => (32, 20),
        GgmlType.Q5_0 => (32, 22),
        GgmlType.Q5_1 => (32, 24),
        GgmlType.Q8_0 => (32, 34),
        GgmlType.Q8_1 => (32, 36),
        GgmlType.Q2_K => (256, 84),
        GgmlType.Q3_K => (256, 110),
        GgmlType.Q4_K => (256, 144),
        GgmlType.Q5_K => (256, 176),
        GgmlType.Q6_K => (256, 210),
        GgmlType.Q8_K => (256, 292),
        _ => throw new NotSupportedException($"ggml type {type} has no known block size"),
    };

    public static long ByteCount(GgmlType type, long elements)
    {
        var (blockElements, blockBytes) = Block(type);
        return (elements + blockElements - 1) / blockElements * blockBytes;
    }
}
