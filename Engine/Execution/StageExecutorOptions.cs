using TorchSharp;

namespace Cluster.Engine.Execution;

/// <summary>Serving limits of one stage on one device (the model's shape is in its config).</summary>
public sealed record StageExecutorOptions
{
    /// <summary>Tokens per KV page.</summary>
    public int PageSize { get; init; } = 16;

    /// <summary>Pages to preallocate; when null, as many as <see cref="KvCacheBytes"/> holds.</summary>
    public int? PageCount { get; init; }

    /// <summary>
    /// Memory for this stage's K/V pages when <see cref="PageCount"/> is not given; when null too,
    /// the pages are sized from the memory left on the device (<see cref="KvCacheSize"/>).
    /// </summary>
    public long? KvCacheBytes { get; init; } = 256L << 20;

    /// <summary>Sizing from memory: the share of the memory left on the device, once the weights are loaded, that the pages take.</summary>
    public double KvCacheMemoryFraction { get; init; } = 0.5;

    /// <summary>Sizing from memory: no more pages than this many sequences at full context use.</summary>
    public int KvCacheMaxSequences { get; init; } = 256;

    /// <summary>The longest sequence served; null: the model's context length.</summary>
    public int? ContextTokens { get; init; }

    /// <summary>Compute dtype: float32 (CPU default) or bfloat16.</summary>
    public torch.ScalarType Dtype { get; init; } = torch.ScalarType.Float32;

    /// <summary>
    /// On the CPU, hold the weights a decode pass streams and the K/V pages in 2 MiB pages where
    /// Linux grants them (<see cref="Memory.HugePages"/>); off, they stay in libtorch's own 4 KiB-page allocations.
    /// </summary>
    public bool HugePages { get; init; } = true;

    /// <summary>"cpu" or "cuda:N".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Token budget of one forward pass: queued work is batched up to this many tokens.</summary>
    public int MaxBatchTokens { get; init; } = 2048;

    /// <summary>
    /// Longest pause between two arrivals of one batch (sent on together by the previous stage,
    /// received one message at a time) that the next pass waits through; see <see cref="StageExecutor"/>.
    /// </summary>
    public TimeSpan BatchArrivalGap { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Longest a pass waits in all for the rest of such a batch; zero never waits.</summary>
    public TimeSpan MaxBatchGather { get; init; } = TimeSpan.FromMilliseconds(3);

    public StageExecutorOptions Validated()
    {
        if (PageSize <= 0) throw new ArgumentOutOfRangeException(nameof(PageSize), $"page size must be positive (is {PageSize})");
        if (PageCount is <= 0) throw new ArgumentOutOfRangeException(nameof(PageCount), $"page count must be positive (is {PageCount})");
        if (PageCount is null && KvCacheBytes <= 0) throw new ArgumentOutOfRangeException(nameof(KvCacheBytes), "KV cache budget must be positive");
        if (KvCacheMemoryFraction is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(KvCacheMemoryFraction), $"KV cache memory fraction must be in (0, 1] (is {KvCacheMemoryFraction})");
        if (KvCacheMaxSequences <= 0) throw new ArgumentOutOfRangeException(nameof(KvCacheMaxSequences), $"KV cache sequences must be positive (is {KvCacheMaxSequences})");
        if (ContextTokens is <= 0) throw new ArgumentOutOfRangeException(nameof(ContextTokens), $"context length must be positive (is {ContextTokens})");
        if (BatchArrivalGap < TimeSpan.Zero || MaxBatchGather < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxBatchGather), $"batch gathering times must not be negative (gap {BatchArrivalGap}, at most {MaxBatchGather})");
        if (MaxBatchTokens <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBatchTokens), $"token budget must be positive (is {MaxBatchTokens})");
        if (Dtype is not (torch.ScalarType.Float32 or torch.ScalarType.BFloat16 or torch.ScalarType.Float16))
            throw new ArgumentOutOfRangeException(nameof(Dtype), $"compute dtype {Dtype} is not supported (float32, bfloat16, float16 are)");
        return this;
    }
}
