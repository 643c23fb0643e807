using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Stages;

public sealed partial class StageGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} activated: layers {Layers}, {WeightMebibytes} MiB of weights in {WeightMemory} on {Device}; KV cache: {Tokens} tokens in {Pages} pages of {PageSize} ({KvMebibytes} MiB, {KvSource}); maximum concurrency for {Context} tokens per request: {Concurrency:0.00}x")]
    private static partial void LogActivated(ILogger logger, string stage, string layers, long weightMebibytes, string weightMemory, string device,
        long tokens, int pages, int pageSize, long kvMebibytes, string kvSource, int context, double concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage} freed the pages of sequence {Sequence}: not heard from for {Lease} s (its grain is gone)")]
    private static partial void LogLeaseExpired(ILogger logger, string stage, string sequence, double lease);
}
