namespace Cluster.Engine.Tests.Decode;

/// <summary>
/// Each sequence's output (logits, or hidden states as float32) from the executors of a
/// <see cref="FusedDecodeComparison"/>, and how they must agree.
/// </summary>
internal sealed class ComparedOutputs(float[][] fused, float[][] reference, float[][]? exact, BFloat16Precision precision)
{
    /// <summary>
    /// In float32 the fused pass equals libtorch's operators within 1e-4 of the largest value. In
    /// bfloat16 both are measured against a float32 computation over the same bfloat16 values: each
    /// output within <see cref="BFloat16Precision.Bound"/> of the largest value, and the errors
    /// recorded in <paramref name="precision"/> for the comparison over the whole test.
    /// </summary>
    public void AssertAgree(int sequence, string where)
    {
        if (exact is null)
        {
            float allowed = 1e-4f * Scale(reference[sequence]);
            float difference = Difference(reference[sequence], fused[sequence]);
            Assert.True(difference <= allowed, $"{where}: largest difference {difference} against values up to {Scale(reference[sequence])}");
            return;
        }
        float scale = Scale(exact[sequence]);
        float fusedError = Difference(exact[sequence], fused[sequence]);
        float libtorchError = Difference(exact[sequence], reference[sequence]);
        precision.Record(fusedError / scale, libtorchError / scale);
        Assert.True(fusedError <= BFloat16Precision.Bound * scale,
            $"{where}: the fused pass is {fusedError} from float32 over the same bfloat16 values (libtorch's operators {libtorchError}), against values up to {scale}");
    }

    private static float Scale(float[] values) => Math.Max(1, values.Max(Math.Abs));

    private static float Difference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        return expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }
}
