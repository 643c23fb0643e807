namespace Cluster.Engine.Execution;

/// <summary>
/// How many K/V pages a stage preallocates, and why. An explicit page count wins, then an explicit
/// byte budget; otherwise, as vLLM sizes its cache from <c>--gpu-memory-utilization</c>, the stage
/// takes <see cref="StageExecutorOptions.KvCacheMemoryFraction"/> of the memory left on its device
/// once its weights are loaded, and no more than <see cref="StageExecutorOptions.KvCacheMaxSequences"/>
/// sequences at full context can use (pages past that would only ever sit idle).
/// </summary>
/// <param name="ContextTokens">the longest sequence served (the context length), for the concurrency figure.</param>
/// <param name="Source">what decided the size, for the log: "--page-count", "--kv-cache-mb", or the fraction of the memory available.</param>
public sealed record KvCacheSize(int Pages, int PageSize, long BytesPerPage, int ContextTokens, string Source)
{
    public long Bytes => Pages * BytesPerPage;

    /// <summary>Tokens the pool holds, all sequences together.</summary>
    public long CapacityTokens => (long)Pages * PageSize;

    /// <summary>Sequences of full context the pool holds at once (vLLM's "maximum concurrency for N tokens per request").</summary>
    public double MaxConcurrency => (double)Pages / PagesPerSequence(ContextTokens, PageSize);

    /// <param name="availableBytes">reads the memory left on the device; called only when sizing from memory.</param>
    public static KvCacheSize Decide(StageExecutorOptions options, long bytesPerPage, int contextTokens, Func<long> availableBytes)
    {
        if (options.PageCount is { } count) return new KvCacheSize(count, options.PageSize, bytesPerPage, contextTokens, "--page-count");
        if (options.KvCacheBytes is { } budget)
        {
            long fixedPages = budget / bytesPerPage;
            if (fixedPages <= 0) throw new ArgumentOutOfRangeException(nameof(options), $"the KV cache budget of {budget >> 20} MiB holds no page of {options.PageSize} tokens ({bytesPerPage} bytes)");
            return new KvCacheSize((int)Math.Min(int.MaxValue, fixedPages), options.PageSize, bytesPerPage, contextTokens, "--kv-cache-mb");
        }

        long available = availableBytes();
        long fromMemory = (long)(available * options.KvCacheMemoryFraction) / bytesPerPage;
        long needed = (long)options.KvCacheMaxSequences * PagesPerSequence(contextTokens, options.PageSize);
        long pages = Math.Min(Math.Min(fromMemory, needed), int.MaxValue);
        if (pages <= 0)
            throw new InvalidOperationException($"{options.KvCacheMemoryFraction:0.##} of the {available >> 20} MiB left on {options.Device} holds no KV page of {options.PageSize} tokens ({bytesPerPage} bytes): lower the weights' size or give --kv-cache-mb");
        var source = pages == fromMemory
            ? $"{options.KvCacheMemoryFraction:0.##} of {available >> 20} MiB available"
            : $"capped at {options.KvCacheMaxSequences} sequences of {contextTokens} tokens, below {options.KvCacheMemoryFraction:0.##} of {available >> 20} MiB available";
        return new KvCacheSize((int)pages, options.PageSize, bytesPerPage, contextTokens, source);
    }

    private static long PagesPerSequence(int contextTokens, int pageSize) => Math.Max(1, (contextTokens + pageSize - 1) / pageSize);
}
