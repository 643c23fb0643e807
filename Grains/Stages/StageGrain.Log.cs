using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Stages;

public sealed partial class StageGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} activated: layers {Layers}, {Pages} pages of {PageSize} tokens on {Device}")]
    private static partial void LogActivated(ILogger logger, string stage, string layers, int pages, int pageSize, string device);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stage {Stage} dropped a step of sequence {Sequence}: it holds no pages here (freed or never reserved)")]
    private static partial void LogDropped(ILogger logger, string stage, string sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stage {Stage} failed a step of sequence {Sequence}")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string stage, string sequence);
}
