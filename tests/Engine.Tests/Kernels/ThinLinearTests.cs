using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Tests.Kernels;

/// <summary>The thin matrix product against libtorch's linear, over shapes with every kind of tail.</summary>
public sealed class ThinLinearTests
{
    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(1, 5, 23)]
    [InlineData(2, 16, 64)]
    [InlineData(3, 67, 100)]
    [InlineData(4, 130, 768)]
    [InlineData(1, 2304, 768)]
    public void Forward_Float32_MatchesLibtorchLinear(int tokens, int rows, int columns)
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: (ulong)(rows * 1000 + columns));
        var x = torch.randn(tokens, columns, generator: generator);
        var weight = torch.randn(rows, columns, generator: generator);
        var bias = torch.randn(rows, generator: generator);

        AssertClose(F.linear(x, weight), ThinLinear.Forward(x, weight, null), 1e-4);
        AssertClose(F.linear(x, weight, bias), ThinLinear.Forward(x, weight, bias), 1e-4);
    }

    [Theory]
    [InlineData(1, 7, 40)]
    [InlineData(4, 64, 768)]
    public void Forward_BFloat16_MatchesFloat32ProductRoundedOnce(int tokens, int rows, int columns)
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: 7);
        var x = torch.randn(tokens, columns, generator: generator).to(ScalarType.BFloat16);
        var weight = torch.randn(rows, columns, generator: generator).to(ScalarType.BFloat16);
        var expected = F.linear(x.to(ScalarType.Float32), weight.to(ScalarType.Float32));

        var actual = ThinLinear.Forward(x, weight, null);

        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        AssertClose(expected, actual.to(ScalarType.Float32), 1e-2); // one bfloat16 rounding of the result
    }

    [Fact]
    public void Forward_WhenTheInputIsAStridedView_ReadsItAsLibtorchDoes()
    {
        using var scope = NewDisposeScope();
        var generator = new torch.Generator(seed: 3);
        var wide = torch.randn(2, 96, generator: generator);
        var x = wide.narrow(1, 16, 48); // rows 96 apart, not contiguous
        var weight = torch.randn(10, 48, generator: generator);

        AssertClose(F.linear(x, weight), ThinLinear.Forward(x, weight, null), 1e-4);
    }

    [Fact]
    public void Applies_OnlyToThinCpuInputsOfAMatchingContiguousWeight()
    {
        using var scope = NewDisposeScope();
        var weight = torch.randn(8, 16);
        Assert.True(ThinLinear.Applies(torch.randn(ThinLinear.MaxTokens, 16), weight));
        Assert.False(ThinLinear.Applies(torch.randn(ThinLinear.MaxTokens + 1, 16), weight));
        Assert.False(ThinLinear.Applies(torch.randn(1, 16), torch.randn(16, 8).t()));
        Assert.False(ThinLinear.Applies(torch.randn(1, 16, dtype: ScalarType.Float16), weight.to(ScalarType.Float16)));
        Assert.False(ThinLinear.Applies(torch.randn(1, 16), weight.to(ScalarType.BFloat16)));
        Assert.False(ThinLinear.Applies(torch.randn(1, 12), weight));
    }

    [Fact]
    public void Forward_WhenTheShapesDoNotFit_FailsNamingThem()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => ThinLinear.Forward(torch.randn(9, 16), torch.randn(8, 16), null));
        Assert.Contains("9x16", error.Message);
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = Math.Max(1, expected.abs().max().item<float>());
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance * scale, $"largest difference {difference} against values up to {scale}");
    }
}
