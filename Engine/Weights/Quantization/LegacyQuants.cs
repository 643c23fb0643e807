using System.Buffers.Binary;

namespace Cluster.Engine.Weights.Quantization;

/// <summary>
/// ggml's 32-element block formats: an f16 scale (and, for the _1 kinds, an f16 minimum), then
/// the quants. In the 4- and 5-bit kinds byte j holds element j in its low nibble and element
/// j + 16 in its high nibble; the 5-bit kinds keep each element's fifth bit in a 32-bit mask.
/// </summary>
internal static class LegacyQuants
{
    /// <summary>Block: f16 d, int8 q[32]; x = d * q.</summary>
    public static void Q8_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Half(block, 0);
        var qs = block[2..];
        for (int j = 0; j < 32; j++)
            y[j] = (sbyte)qs[j] * d;
    }

    /// <summary>Block: f16 d, 16 bytes of nibbles; x = d * (q - 8).</summary>
    public static void Q4_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Half(block, 0);
        var qs = block[2..];
        for (int j = 0; j < 16; j++)
        {
            y[j] = ((qs[j] & 0x0F) - 8) * d;
            y[j + 16] = ((qs[j] >> 4) - 8) * d;
        }
    }

    /// <summary>Block: f16 d, f16 m, 16 bytes of nibbles; x = d * q + m.</summary>
    public static void Q4_1(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Half(block, 0), m = Half(block, 2);
        var qs = block[4..];
        for (int j = 0; j < 16; j++)
        {
            y[j] = (qs[j] & 0x0F) * d + m;
            y[j + 16] = (qs[j] >> 4) * d + m;
        }
    }

    /// <summary>Block: f16 d, u32 high bits, 16 bytes of nibbles; x = d * (q - 16).</summary>
    public static void Q5_0(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Half(block, 0);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block[2..]);
        var qs = block[6..];
        for (int j = 0; j < 16; j++)
        {
            y[j] = (FiveBit(qs[j] & 0x0F, qh, j) - 16) * d;
            y[j + 16] = (FiveBit(qs[j] >> 4, qh, j + 16) - 16) * d;
        }
    }

    /// <summary>Block: f16 d, f16 m, u32 high bits, 16 bytes of nibbles; x = d * q + m.</summary>
    public static void Q5_1(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Half(block, 0), m = Half(block, 2);
        uint qh = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        var qs = block[8..];
        for (int j = 0; j < 16; j++)
        {
            y[j] = FiveBit(qs[j] & 0x0F, qh, j) * d + m;
            y[j + 16] = FiveBit(qs[j] >> 4, qh, j + 16) * d + m;
        }
    }

    private static int FiveBit(int low, uint highBits, int element) => low | (int)((highBits >> element) & 1) << 4;

    internal static float Half(ReadOnlySpan<byte> bytes, int offset) =>
        (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[offset..]);
}
