using TorchSharp;

namespace Cluster.Engine.Tests;

public sealed class TorchLoadsTests
{
    [Fact]
    public void Matmul_WhenTorchInitializes_ComputesOnCpu()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(3, 4);
        using var c = torch.matmul(a, b);
        Assert.Equal(3f, c[1, 2].item<float>());
    }
}
