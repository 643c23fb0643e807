using Cluster.Grains.Hosting;

namespace Cluster.Tests.Hosting;

/// <summary>What the silo's options make of each stage's executor options and the context length served.</summary>
public sealed class SiloModelTests
{
    [Fact]
    public void ExecutorOptions_WhenNoBudgetIsGiven_SizeFromMemory_SharingTheFractionAmongThisSilosStages()
    {
        using var model = SiloModel.Open(new ClusterSiloOptions { StageCount = 2, KvCacheMemoryFraction = 0.6 });

        var options = model.ExecutorOptions;

        Assert.Null(options.KvCacheBytes);
        Assert.Null(options.PageCount);
        Assert.Equal(0.3, options.KvCacheMemoryFraction, 6);
        Assert.Equal(256, options.KvCacheMaxSequences);
    }

    [Fact]
    public void ExecutorOptions_WhenKvCacheMbOrPageCountIsGiven_TheyWin()
    {
        using var budget = SiloModel.Open(new ClusterSiloOptions { KvCacheMb = 48 });
        using var pages = SiloModel.Open(new ClusterSiloOptions { PageCount = 12 });

        Assert.Equal(48L << 20, budget.ExecutorOptions.KvCacheBytes);
        Assert.Equal(12, pages.ExecutorOptions.PageCount);
    }

    [Fact]
    public void Config_WhenMaxModelLenIsGiven_ServesThatContextAndKeepsTheTrainedOne()
    {
        using var model = SiloModel.Open(new ClusterSiloOptions { MaxModelLen = 2048 });

        Assert.Equal(2048, model.Config.MaxPositionEmbeddings);
        Assert.Equal(2048, model.ExecutorOptions.ContextTokens);
        Assert.Equal(512, model.TrainedContextLength);
    }
}
