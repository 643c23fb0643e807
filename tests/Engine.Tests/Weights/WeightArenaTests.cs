using Cluster.Engine.Kernels;
using Cluster.Engine.Memory;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Weights;

public class WeightArenaTests
{
    [Fact]
    public void Place_CopiesEachMatrixInTurnOnCacheLinesOfOneBuffer_AndReleasesTheSource()
    {
        var matrices = new[] { torch.randn(7, 5), torch.randn(3, 11), torch.randn(16, 16) };
        var expected = matrices.Select(m => m.clone()).ToArray();
        using var arena = new WeightArena(matrices);

        var placed = matrices.Select(arena.Place).ToArray();

        Assert.Equal(0, (long)TensorMemory.Pointer(placed[0]) % HugePages.PageBytes);
        long expectedAddress = TensorMemory.Pointer(placed[0]);
        for (int i = 0; i < placed.Length; i++)
        {
            Assert.Equal(expected[i].shape, placed[i].shape);
            Assert.True(placed[i].is_contiguous());
            Assert.True(placed[i].equal(expected[i]).all().item<bool>());
            Assert.Equal(expectedAddress, (long)TensorMemory.Pointer(placed[i]));
            expectedAddress += (placed[i].NumberOfElements * sizeof(float) + 63) / 64 * 64;
            Assert.True(matrices[i].IsInvalid); // its own memory went back
        }
    }

    [Fact]
    public void PlacedMatrices_OutliveTheArena()
    {
        var source = torch.arange(12, ScalarType.Float32).reshape(3, 4);
        Tensor placed;
        using (var arena = new WeightArena([source]))
            placed = arena.Place(source);

        using var one = 1.0.ToScalar();
        Assert.Equal(66f, placed.sum().item<float>());
        placed.add_(placed, one); // still writable memory
        Assert.Equal(132f, placed.sum().item<float>());
        placed.Dispose();
    }

    [Fact]
    public void Place_RejectsAnotherDtypeAndMoreThanWasSizedFor()
    {
        using var small = torch.zeros(4, 4);
        using var arena = new WeightArena([small]);
        using var wrongType = torch.zeros([4, 4], ScalarType.BFloat16);
        using var tooLarge = torch.zeros(64, 64);

        Assert.Contains("Float32", Assert.Throws<ArgumentException>(() => arena.Place(wrongType)).Message);
        Assert.Contains("no room", Assert.Throws<InvalidOperationException>(() => arena.Place(tooLarge)).Message);
    }
}
