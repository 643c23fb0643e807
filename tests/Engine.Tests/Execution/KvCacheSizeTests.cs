using Cluster.Engine.Execution;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Execution;

public sealed class KvCacheSizeTests
{
    private const long PageBytes = 1 << 20;

    private static readonly StageExecutorOptions FromMemory = new() { PageSize = 16, KvCacheBytes = null, KvCacheMemoryFraction = 0.5, KvCacheMaxSequences = 256 };

    [Fact]
    public void Decide_WhenSizedFromMemory_TakesTheFractionOfWhatIsAvailable()
    {
        var size = KvCacheSize.Decide(FromMemory, PageBytes, contextTokens: 4096, availableBytes: () => 1000 * PageBytes);

        Assert.Equal(500, size.Pages);
        Assert.Equal(500 * 16, size.CapacityTokens);
        Assert.Equal(500.0 / 256, size.MaxConcurrency, 6);
        Assert.Contains("0.5 of 1000 MiB available", size.Source);
    }

    [Fact]
    public void Decide_WhenMemoryHoldsMoreThanTheSequencesCanUse_TakesOnlyWhatTheyUse()
    {
        var size = KvCacheSize.Decide(FromMemory with { KvCacheMaxSequences = 4 }, PageBytes, contextTokens: 100, availableBytes: () => 1000 * PageBytes);

        Assert.Equal(4 * 7, size.Pages); // 100 tokens need 7 pages of 16
        Assert.Equal(4.0, size.MaxConcurrency, 6);
        Assert.Contains("capped at 4 sequences of 100 tokens", size.Source);
    }

    [Fact]
    public void Decide_WhenPageCountOrBudgetIsGiven_TheyWinAndMemoryIsNotRead()
    {
        Func<long> unread = () => throw new InvalidOperationException("memory read although the size was given");

        Assert.Equal(7, KvCacheSize.Decide(FromMemory with { PageCount = 7, KvCacheBytes = 64 * PageBytes }, PageBytes, 128, unread).Pages);
        var budget = KvCacheSize.Decide(FromMemory with { KvCacheBytes = 64 * PageBytes }, PageBytes, 128, unread);
        Assert.Equal(64, budget.Pages);
        Assert.Equal("--kv-cache-mb", budget.Source);
    }

    [Fact]
    public void Decide_WhenTheFractionHoldsNoPage_SaysSo()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => KvCacheSize.Decide(FromMemory, PageBytes, 128, () => PageBytes));

        Assert.Contains("holds no KV page", refused.Message);
    }

    [Fact]
    public async Task StartAsync_WhenNoBudgetIsGiven_SizesThePagesFromTheMemoryLeft()
    {
        var config = RandomModels.Gqa;
        using var checkpoint = new SyntheticCheckpoint(config);
        using var executor = await StageExecutor.StartAsync(checkpoint, LayerRange.All(config.NumHiddenLayers),
            new StageExecutorOptions { PageSize = 8, KvCacheBytes = null, KvCacheMaxSequences = 3, HugePages = false });

        // 128 positions of context are 16 pages of 8; this machine has room for far more than 3 sequences' worth.
        Assert.Equal(3 * 16, executor.PageCount);
        Assert.Equal(executor.PageCount, executor.KvCache.Pages);
        Assert.Equal(128, executor.KvCache.ContextTokens);
        Assert.Contains("MiB available", executor.KvCache.Source);
    }
}
