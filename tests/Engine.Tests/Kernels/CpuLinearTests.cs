using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Tests.Kernels;

/// <summary>The engine's float32 matrix product against libtorch's linear, over shapes with every kind of tail.</summary>
public sealed class CpuLinearTests
{
    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(1, 5, 23)]
    [InlineData(2, 16, 64)]
    [InlineData(3, 67, 100)]
    [InlineData(4, 130, 768)]
    [InlineData(1, 2304, 768)]
    [InlineData(1, 150, 777)]
    [InlineData(2, 48, 40)]
    [InlineData(3, 2000, 768)]
    [InlineData(5, 33, 47)]
    [InlineData(8, 64, 96)]
    [InlineData(67, 130, 200)]
    [InlineData(512, 20, 64)]
    [InlineData(12, 9, 768)]
    [InlineData(16, 64, 768)]
    [InlineData(17, 40, 33)]
    [InlineData(32, 2304, 768)]
    [InlineData(33, 130, 2048)]
    [InlineData(48, 23, 17)]
    [InlineData(200, 70, 100)]
    [InlineData(300, 16, 1)]
    [InlineData(20, 24, 40)]
    public void Forward_Float32_MatchesLibtorchLinear(int tokens, int rows, int columns)
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: (ulong)(rows * 1000 + columns));
        var x = torch.randn(tokens, columns, generator: generator);
        var weight = torch.randn(rows, columns, generator: generator);
        var bias = torch.randn(rows, generator: generator);

        AssertClose(F.linear(x, weight), CpuLinear.Forward(x, weight, null), 1e-4);
        AssertClose(F.linear(x, weight, bias), CpuLinear.Forward(x, weight, bias), 1e-4);
    }

    /// <summary>
    /// bfloat16 weights against float32 inputs: the same products as float32 weights holding the
    /// same values, through the paired-lane kernel (one to three rows) and the widened blocks (more).
    /// </summary>
    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(1, 5, 23)]
    [InlineData(1, 2304, 768)]
    [InlineData(1, 150, 777)]
    [InlineData(2, 48, 40)]
    [InlineData(3, 2000, 768)]
    [InlineData(3, 67, 100)]
    [InlineData(4, 130, 768)]
    [InlineData(5, 33, 47)]
    [InlineData(16, 64, 768)]
    [InlineData(17, 40, 33)]
    [InlineData(32, 2304, 768)]
    [InlineData(33, 130, 2048)]
    [InlineData(300, 16, 1)]
    public void Forward_BFloat16Weights_MatchFloat32WeightsOfTheSameValues(int tokens, int rows, int columns)
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: (ulong)(rows * 1000 + columns + 7));
        var x = torch.randn(tokens, columns, generator: generator);
        var weight = torch.randn(rows, columns, generator: generator).to(ScalarType.BFloat16);

        AssertClose(F.linear(x, weight.to(ScalarType.Float32)), CpuLinear.Forward(x, weight, null), 1e-4);
    }

    [Fact]
    public void Forward_WhenTheInputIsAStridedView_ReadsItAsLibtorchDoes()
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: 3);
        var wide = torch.randn(2, 96, generator: generator);
        var x = wide.narrow(1, 16, 48); // rows 96 apart, not contiguous
        var weight = torch.randn(10, 48, generator: generator);

        AssertClose(F.linear(x, weight), CpuLinear.Forward(x, weight, null), 1e-4);
    }

    [Fact]
    public void Applies_OnlyToFloat32CpuInputsOfAMatchingContiguousWeight()
    {
        using var scope = NewDisposeScope();
        var weight = torch.randn(8, 16);
        Assert.True(CpuLinear.Applies(torch.randn(CpuLinear.MaxRows, 16), weight));
        Assert.False(CpuLinear.Applies(torch.randn(CpuLinear.MaxRows + 1, 16), weight));
        Assert.False(CpuLinear.Applies(torch.randn(1, 16), torch.randn(16, 8).t()));
        Assert.False(CpuLinear.Applies(torch.randn(1, 16, dtype: ScalarType.BFloat16), weight.to(ScalarType.BFloat16)));
        Assert.True(CpuLinear.Applies(torch.randn(1, 16), weight.to(ScalarType.BFloat16))); // bfloat16 weights read as float32
        Assert.False(CpuLinear.Applies(torch.randn(1, 12), weight));
    }

    [Fact]
    public void Forward_WhenTheShapesDoNotFit_FailsNamingThem()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => CpuLinear.Forward(torch.randn(3, 12), torch.randn(8, 16), null));
        Assert.Contains("3x12", error.Message);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1, expected.abs().max().item<float>());
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance * scale, $"largest difference {difference} against values up to {scale}");
    }
}
