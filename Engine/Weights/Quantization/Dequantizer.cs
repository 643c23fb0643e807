using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Quantization;

/// <summary>
/// Expands ggml quantized blocks to float32, the way ggml's reference <c>dequantize_row_*</c>
/// functions do. Checkpoints dequantize once at load; the model then computes in a float dtype.
/// </summary>
public static class Dequantizer
{
    public static bool Supports(GgmlType type) => type is
        GgmlType.Q8_0 or GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or
        GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;

    /// <summary>
    /// Dequantizes whole blocks: <paramref name="blocks"/> must hold exactly
    /// <c>output.Length / blockElements</c> blocks.
    /// </summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> blocks, Span<float> output)
    {
        var (blockElements, blockBytes) = GgmlTypeSizes.Block(type);
        if (output.Length % blockElements != 0 || blocks.Length != output.Length / blockElements * blockBytes)
            throw new ArgumentException(
                $"{type}: {blocks.Length} bytes do not hold {output.Length} values in whole blocks of {blockElements}");
        for (int b = 0, n = output.Length / blockElements; b < n; b++)
        {
            var block = blocks.Slice(b * blockBytes, blockBytes);
            var values = output.Slice(b * blockElements, blockElements);
            switch (type)
            {
                case GgmlType.Q8_0: LegacyQuants.Q8_0(block, values); break;
                case GgmlType.Q4_0: LegacyQuants.Q4_0(block, values); break;
                case GgmlType.Q4_1: LegacyQuants.Q4_1(block, values); break;
                case GgmlType.Q5_0: LegacyQuants.Q5_0(block, values); break;
                case GgmlType.Q5_1: LegacyQuants.Q5_1(block, values); break;
                case GgmlType.Q4_K: KQuants.Q4_K(block, values); break;
                case GgmlType.Q5_K: KQuants.Q5_K(block, values); break;
                case GgmlType.Q6_K: KQuants.Q6_K(block, values); break;
                default: throw new NotSupportedException($"ggml type {type} cannot be dequantized");
            }
        }
    }
}
