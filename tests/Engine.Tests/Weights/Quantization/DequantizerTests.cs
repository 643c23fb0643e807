using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Weights.Quantization;

namespace Cluster.Engine.Tests.Weights.Quantization;

/// <summary>
/// Hand-built blocks packed as ggml's quantizers pack them (see ggml-quants.c), with the values
/// each element must come back as written out element by element.
/// </summary>
public sealed class DequantizerTests
{
    [Fact]
    public void Dequantize_WhenQ8_0Block_MultipliesEachQuantByTheScale()
    {
        var block = Bytes(Half(0.25f), [.. Enumerable.Range(0, 32).Select(j => (byte)(sbyte)(j - 16))]);

        var values = Run(GgmlType.Q8_0, block, 32);

        for (int j = 0; j < 32; j++)
            Assert.Equal(0.25f * (j - 16), values[j]);
    }

    [Fact]
    public void Dequantize_WhenQ4_0Block_CentresNibblesOnEightAndSplitsLowAndHighHalves()
    {
        // Byte j: element j in the low nibble (= j), element j + 16 in the high nibble (= 15 - j).
        var block = Bytes(Half(2f), [.. Enumerable.Range(0, 16).Select(j => (byte)(j | (15 - j) << 4))]);

        var values = Run(GgmlType.Q4_0, block, 32);

        for (int j = 0; j < 16; j++)
        {
            Assert.Equal(2f * (j - 8), values[j]);
            Assert.Equal(2f * (15 - j - 8), values[j + 16]);
        }
    }

    [Fact]
    public void Dequantize_WhenTwoQ4_0Blocks_ReadsEachWithItsOwnScale()
    {
        var first = Bytes(Half(1f), [.. Enumerable.Repeat((byte)0x99, 16)]);   // every quant 9 → +1
        var second = Bytes(Half(-0.5f), [.. Enumerable.Repeat((byte)0x00, 16)]); // every quant 0 → -8

        var values = Run(GgmlType.Q4_0, [.. first, .. second], 64);

        Assert.All(values[..32], v => Assert.Equal(1f, v));
        Assert.All(values[32..], v => Assert.Equal(4f, v));
    }

    [Fact]
    public void Dequantize_WhenQ4_1Block_AddsTheMinimum()
    {
        var block = Bytes(Half(0.5f), Half(-1f), [.. Enumerable.Range(0, 16).Select(j => (byte)(j | (15 - j) << 4))]);

        var values = Run(GgmlType.Q4_1, block, 32);

        for (int j = 0; j < 16; j++)
        {
            Assert.Equal(0.5f * j - 1f, values[j]);
            Assert.Equal(0.5f * (15 - j) - 1f, values[j + 16]);
        }
    }

    [Theory]
    [InlineData(GgmlType.Q5_0)]
    [InlineData(GgmlType.Q5_1)]
    public void Dequantize_WhenQ5Block_TakesTheFifthBitFromTheMask(GgmlType type)
    {
        int Quant(int e) => (e * 7 + 3) % 32;
        uint mask = 0;
        var nibbles = new byte[16];
        for (int e = 0; e < 32; e++)
        {
            mask |= (uint)(Quant(e) >> 4) << e;
            nibbles[e % 16] |= (byte)((Quant(e) & 0x0F) << (e < 16 ? 0 : 4));
        }
        byte[] scales = type == GgmlType.Q5_0 ? Half(0.5f) : [.. Half(0.5f), .. Half(3f)];

        var values = Run(type, Bytes(scales, BitConverter.GetBytes(mask), nibbles), 32);

        for (int e = 0; e < 32; e++)
            Assert.Equal(type == GgmlType.Q5_0 ? 0.5f * (Quant(e) - 16) : 0.5f * Quant(e) + 3f, values[e]);
    }

    [Fact]
    public void Dequantize_WhenQ4_KBlock_AppliesSixBitSubBlockScalesAndMins()
    {
        var (packed, scale, min) = KScales();
        int Quant(int e) => e % 64 < 32 ? e % 16 : 15 - e % 16;
        var qs = new byte[128];
        for (int e = 0; e < 256; e++)
        {
            int chunk = e / 64, within = e % 64;
            qs[32 * chunk + within % 32] |= (byte)(Quant(e) << (within < 32 ? 0 : 4));
        }

        var values = Run(GgmlType.Q4_K, Bytes(Half(0.5f), Half(0.25f), packed, qs), 256);

        for (int e = 0; e < 256; e++)
            Assert.Equal(0.5f * scale[e / 32] * Quant(e) - 0.25f * min[e / 32], values[e]);
    }

    [Fact]
    public void Dequantize_WhenQ5_KBlock_AddsSixteenForEachHighBit()
    {
        var (packed, scale, min) = KScales();
        int Quant(int e) => (e * 7) % 32;
        var qh = new byte[32];
        var qs = new byte[128];
        for (int e = 0; e < 256; e++)
        {
            int chunk = e / 64, within = e % 64, high = within < 32 ? 0 : 1;
            qs[32 * chunk + within % 32] |= (byte)((Quant(e) & 0x0F) << (4 * high));
            qh[within % 32] |= (byte)((Quant(e) >> 4) << (2 * chunk + high));
        }

        var values = Run(GgmlType.Q5_K, Bytes(Half(0.5f), Half(0.25f), packed, qh, qs), 256);

        for (int e = 0; e < 256; e++)
            Assert.Equal(0.5f * scale[e / 32] * Quant(e) - 0.25f * min[e / 32], values[e]);
    }

    [Fact]
    public void Dequantize_WhenQ6_KBlock_CentresSixBitQuantsOnThirtyTwoWithSignedScales()
    {
        int Quant(int e) => (e * 5) % 64;
        var scales = Enumerable.Range(0, 16).Select(i => (sbyte)((i + 1) * (i % 2 == 0 ? 1 : -1))).ToArray();
        var ql = new byte[128];
        var qh = new byte[64];
        for (int half = 0; half < 2; half++)
        {
            for (int l = 0; l < 32; l++)
            {
                int e = 128 * half + l;
                int q1 = Quant(e), q2 = Quant(e + 32), q3 = Quant(e + 64), q4 = Quant(e + 96);
                ql[64 * half + l] = (byte)((q1 & 0xF) | (q3 & 0xF) << 4);
                ql[64 * half + l + 32] = (byte)((q2 & 0xF) | (q4 & 0xF) << 4);
                qh[32 * half + l] = (byte)(q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6);
            }
        }

        var values = Run(GgmlType.Q6_K, Bytes(ql, qh, [.. scales.Select(s => (byte)s)], Half(0.5f)), 256);

        for (int e = 0; e < 256; e++)
            Assert.Equal(0.5f * scales[e / 16] * (Quant(e) - 32), values[e]);
    }

    [Fact]
    public void Dequantize_WhenBytesAreNotWholeBlocks_Throws()
    {
        Assert.Throws<ArgumentException>(() => Dequantizer.Dequantize(GgmlType.Q8_0, new byte[33], new float[32]));
    }

    /// <summary>
    /// Eight sub-block scales and mins packed as ggml's get_scale_min_k4 reads them. Scale 4 is
    /// 37, so its top two bits live in byte 0's top bits: the packing's hard case.
    /// </summary>
    private static (byte[] Packed, int[] Scale, int[] Min) KScales()
    {
        int[] scale = [1, 2, 3, 4, 37, 6, 7, 8];
        int[] min = [0, 1, 0, 1, 2, 0, 50, 0];
        var packed = new byte[12];
        for (int j = 0; j < 4; j++)
        {
            packed[j] = (byte)(scale[j] | (scale[j + 4] >> 4) << 6);
            packed[j + 4] = (byte)(min[j] | (min[j + 4] >> 4) << 6);
            packed[j + 8] = (byte)((scale[j + 4] & 0x0F) | (min[j + 4] & 0x0F) << 4);
        }
        return (packed, scale, min);
    }

    private static float[] Run(GgmlType type, byte[] blocks, int count)
    {
        var values = new float[count];
        Dequantizer.Dequantize(type, blocks, values);
        return values;
    }

    private static byte[] Half(float value) => BitConverter.GetBytes((Half)value);

    private static byte[] Bytes(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
