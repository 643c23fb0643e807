using Cluster.Engine.Weights;
using TorchSharp;

namespace Cluster.Engine.Tests.Weights;

public sealed class RopeLayoutTests
{
    [Fact]
    public void InterleavedToRotateHalf_WhenTwoHeadsOfFour_PutsEvenRowsBeforeOddRowsPerHead()
    {
        // Row r holds the value r in both columns.
        using var rows = torch.arange(8, dtype: torch.float32).unsqueeze(1).expand(8, 2).contiguous();

        using var hf = RopeLayout.InterleavedToRotateHalf(rows, heads: 2);

        Assert.Equal(new float[] { 0, 2, 1, 3, 4, 6, 5, 7 }, hf[.., 0].data<float>().ToArray());
        Assert.Equal(new long[] { 8, 2 }, hf.shape);
    }

    [Fact]
    public void InterleavedToRotateHalf_WhenBias_ReordersTheVector()
    {
        using var bias = torch.arange(6, dtype: torch.float32);

        using var hf = RopeLayout.InterleavedToRotateHalf(bias, heads: 1);

        Assert.Equal(new float[] { 0, 2, 4, 1, 3, 5 }, hf.data<float>().ToArray());
    }

    [Fact]
    public void InterleavedToRotateHalf_WhenRowsDoNotSplitIntoHeads_Throws()
    {
        using var rows = torch.zeros(6, 2);

        Assert.Throws<ArgumentException>(() => RopeLayout.InterleavedToRotateHalf(rows, heads: 2));
    }

    [Fact]
    public void RotateHalfToInterleaved_WhenAppliedAfterInterleavedToRotateHalf_GivesBackTheOriginal()
    {
        using var original = torch.randn(24, 3);

        using var hf = RopeLayout.InterleavedToRotateHalf(original, heads: 3);
        using var back = RopeLayout.RotateHalfToInterleaved(hf, heads: 3);

        Assert.True(Cluster.Engine.Tests.Weights.Support.Tensors.Identical(original, back));
        Assert.False(Cluster.Engine.Tests.Weights.Support.Tensors.Identical(original, hf));
    }

    [Fact]
    public void RotateHalfToInterleaved_WhenBias_PairsTheHalves()
    {
        using var bias = torch.tensor(new float[] { 0, 2, 4, 1, 3, 5 });

        using var interleaved = RopeLayout.RotateHalfToInterleaved(bias, heads: 1);

        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, interleaved.data<float>().ToArray());
    }
}
