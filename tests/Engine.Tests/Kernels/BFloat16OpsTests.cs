using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Kernels;

/// <summary>The engine's bfloat16 conversions and row operations against libtorch's.</summary>
public sealed unsafe class BFloat16OpsTests
{
    [Fact]
    public void FromSingle_RoundsAsLibtorchDoes()
    {
        using var scope = NewDisposeScope();
        var random = new Random(11);
        // Random magnitudes, exact halfway cases both ways, and the special values.
        var values = Enumerable.Range(0, 4000).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))))
            .Concat(Enumerable.Range(0, 64).Select(i => BitConverter.UInt32BitsToSingle(0x3F808000u + ((uint)i << 16))))
            .Concat([0f, -0f, float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 1e-40f])
            .ToArray();
        // Widening is exact, so libtorch's bfloat16 read back as float32 shows its bits.
        var rounded = torch.tensor(values).to(ScalarType.BFloat16).to(ScalarType.Float32).data<float>().ToArray();

        for (int i = 0; i < values.Length; i++)
        {
            var expected = (ushort)(BitConverter.SingleToUInt32Bits(rounded[i]) >> 16);
            Assert.True(expected == BFloat16Ops.FromSingle(values[i]), $"{values[i]:R}: libtorch {expected:X4}, engine {BFloat16Ops.FromSingle(values[i]):X4}");
        }
        Assert.True(float.IsNaN(BFloat16Ops.ToSingle(BFloat16Ops.FromSingle(float.NaN))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(64)]
    [InlineData(77)]
    public void RowOperations_MatchFloat32OfTheWidenedValues(int n)
    {
        var random = new Random(n);
        var a = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var row = Enumerable.Range(0, n).Select(_ => BFloat16Ops.FromSingle((float)(random.NextDouble() * 2 - 1))).ToArray();
        var widened = new float[n];
        var sum = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray();
        var expectedSum = sum.Select((s, i) => s + 0.5f * BFloat16Ops.ToSingle(row[i])).ToArray();
        fixed (float* pa = a, pw = widened, ps = sum)
        fixed (ushort* pr = row)
        {
            BFloat16Ops.Widen(pr, pw, n);
            Assert.Equal(row.Select(BFloat16Ops.ToSingle), widened);
            float expectedDot = a.Zip(widened, (x, y) => x * y).Sum();
            Assert.Equal(expectedDot, BFloat16Ops.Dot(pa, pr, n), 1e-4f);
            BFloat16Ops.MultiplyAdd(0.5f, pr, ps, n);
        }
        for (int i = 0; i < n; i++) Assert.Equal(expectedSum[i], sum[i], 1e-6f);
    }
}
