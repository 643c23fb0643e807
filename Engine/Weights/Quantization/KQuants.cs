namespace Cluster.Engine.Weights.Quantization;

/// <summary>
/// ggml's k-quant super-blocks of 256 elements: sub-blocks with their own 6-bit (Q4_K, Q5_K) or
/// 8-bit (Q6_K) scales under an f16 super-scale. Layouts follow ggml-common.h.
/// </summary>
internal static class KQuants
{
    /// <summary>Block: f16 d, f16 dmin, 12 bytes of packed 6-bit scales/mins, 128 bytes of nibbles.</summary>
    public static void Q4_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = LegacyQuants.Half(block, 0), dmin = LegacyQuants.Half(block, 2);
        var scales = block.Slice(4, 12);
        var qs = block.Slice(16, 128);
        for (int chunk = 0; chunk < 4; chunk++)
        {
            // Each 64-element chunk is 32 bytes: low nibbles form one sub-block, high nibbles the next.
            var (sc0, m0) = ScaleMin(2 * chunk, scales);
            var (sc1, m1) = ScaleMin(2 * chunk + 1, scales);
            var q = qs.Slice(32 * chunk, 32);
            var outLow = y.Slice(64 * chunk, 32);
            var outHigh = y.Slice(64 * chunk + 32, 32);
            for (int l = 0; l < 32; l++)
            {
                outLow[l] = d * sc0 * (q[l] & 0x0F) - dmin * m0;
                outHigh[l] = d * sc1 * (q[l] >> 4) - dmin * m1;
            }
        }
    }

    /// <summary>Block: f16 d, f16 dmin, 12 bytes of scales/mins, 32 bytes of fifth bits, 128 bytes of nibbles.</summary>
    public static void Q5_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = LegacyQuants.Half(block, 0), dmin = LegacyQuants.Half(block, 2);
        var scales = block.Slice(4, 12);
        var qh = block.Slice(16, 32);
        var qs = block.Slice(48, 128);
        for (int chunk = 0; chunk < 4; chunk++)
        {
            var (sc0, m0) = ScaleMin(2 * chunk, scales);
            var (sc1, m1) = ScaleMin(2 * chunk + 1, scales);
            var q = qs.Slice(32 * chunk, 32);
            int lowBit = 1 << (2 * chunk), highBit = 2 << (2 * chunk);
            for (int l = 0; l < 32; l++)
            {
                int low = (q[l] & 0x0F) + ((qh[l] & lowBit) != 0 ? 16 : 0);
                int high = (q[l] >> 4) + ((qh[l] & highBit) != 0 ? 16 : 0);
                y[64 * chunk + l] = d * sc0 * low - dmin * m0;
                y[64 * chunk + 32 + l] = d * sc1 * high - dmin * m1;
            }
        }
    }

    /// <summary>Block: 128 bytes low nibbles, 64 bytes of 2-bit highs, int8 scales[16], f16 d; x = d * scale * (q - 32).</summary>
    public static void Q6_K(ReadOnlySpan<byte> block, Span<float> y)
    {
        var ql = block[..128];
        var qh = block.Slice(128, 64);
        var sc = block.Slice(192, 16);
        float d = LegacyQuants.Half(block, 208);
        for (int half = 0; half < 2; half++)
        {
            var l4 = ql.Slice(64 * half, 64);
            var h2 = qh.Slice(32 * half, 32);
            var s = sc.Slice(8 * half, 8);
            var o = y.Slice(128 * half, 128);
            for (int l = 0; l < 32; l++)
            {
                int si = l / 16;
                int q1 = ((l4[l] & 0x0F) | ((h2[l] >> 0) & 3) << 4) - 32;
                int q2 = ((l4[l + 32] & 0x0F) | ((h2[l] >> 2) & 3) << 4) - 32;
                int q3 = ((l4[l] >> 4) | ((h2[l] >> 4) & 3) << 4) - 32;
                int q4 = ((l4[l + 32] >> 4) | ((h2[l] >> 6) & 3) << 4) - 32;
                o[l] = d * (sbyte)s[si] * q1;
                o[l + 32] = d * (sbyte)s[si + 2] * q2;
                o[l + 64] = d * (sbyte)s[si + 4] * q3;
                o[l + 96] = d * (sbyte)s[si + 6] * q4;
            }
        }
    }

    /// <summary>ggml's get_scale_min_k4: eight 6-bit scales and eight 6-bit mins packed in 12 bytes.</summary>
    private static (int Scale, int Min) ScaleMin(int j, ReadOnlySpan<byte> q) => j < 4
        ? (q[j] & 63, q[j + 4] & 63)
        : ((q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4), (q[j + 4] >> 4) | ((q[j] >> 6) << 4));
}
