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

    [LoggerMessage(Level = LogLevel.Information, Message = "Stage {Stage} has no free KV page for sequence {Sequence}: asking the newest running sequence {Victim} to give way (preemption by recompute)")]
    private static partial void LogAskingToGiveWay(ILogger logger, string stage, string victim, string sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stage {Stage} could not ask sequence {Sequence} to give way: {Reason}")]
    private static partial void LogGiveWayFailed(ILogger logger, string stage, string sequence, string reason);
}
