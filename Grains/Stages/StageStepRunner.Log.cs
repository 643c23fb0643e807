using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Stages;

internal sealed partial class StageStepRunner
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stage {Stage} dropped a step of sequence {Sequence}: it holds no pages here (freed or never reserved)")]
    private static partial void LogDropped(ILogger logger, string stage, string sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stage {Stage} failed a step of sequence {Sequence}")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string stage, string sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stage {Stage} dropped a step of sequence {Sequence} from attempt {Epoch}: the sequence has begun a replay since")]
    private static partial void LogStale(ILogger logger, string stage, string sequence, int epoch);
}
