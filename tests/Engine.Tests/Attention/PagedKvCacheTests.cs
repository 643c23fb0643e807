using Cluster.Engine.Attention;
using Cluster.Engine.Kernels;
using Cluster.Engine.Memory;
using Cluster.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Attention;

public class PagedKvCacheTests
{
    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    public void CpuLayers_AreZeroedSlotsOfKvHeads_Each2MiBAligned(ScalarType dtype)
    {
        var config = RandomModels.Gqa;
        using var cache = new PagedKvCache(config, layers: 2, pageSize: 8, pageCount: 5, dtype, CPU);

        foreach (var tensor in new[] { cache.Keys(0), cache.Values(0), cache.Keys(1), cache.Values(1) })
        {
            Assert.Equal([40, config.NumKeyValueHeads, config.HeadDim], tensor.shape);
            Assert.Equal(dtype, tensor.dtype);
            Assert.True(tensor.is_contiguous());
            Assert.Equal(0, tensor.count_nonzero().item<long>());
            Assert.Equal(0, (long)TensorMemory.Pointer(tensor) % HugePages.PageBytes);
        }
    }

    [Fact]
    public void Layers_DoNotShareMemory()
    {
        using var cache = new PagedKvCache(RandomModels.Gqa, layers: 2, pageSize: 8, pageCount: 5, ScalarType.Float32, CPU);
        using var one = 1.0.ToScalar();

        cache.Keys(0).fill_(one);

        Assert.Equal(0, cache.Values(0).count_nonzero().item<long>());
        Assert.Equal(0, cache.Keys(1).count_nonzero().item<long>());
        Assert.Equal(cache.Keys(0).NumberOfElements, cache.Keys(0).count_nonzero().item<long>());
    }
}
