using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

// One place for the sequence's log lines, under the grain's category: its roles log through these.
public sealed partial class SequenceGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sequence {Sequence} stopped by its caller after {Tokens} tokens")]
    internal static partial void LogStopped(ILogger logger, string sequence, int tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sequence {Sequence} replays ({Reason}); replay {Attempt}, {Tokens} tokens streamed so far")]
    internal static partial void LogRecovering(ILogger logger, string sequence, string reason, int attempt, int tokens);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sequence {Sequence} resumed after {Milliseconds} ms: {History} history tokens replayed, stages computing from positions {ComputeFrom}")]
    internal static partial void LogRecovered(ILogger logger, string sequence, double milliseconds, int history, string computeFrom);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sequence {Sequence} retries after a transient failure: {Error}")]
    internal static partial void LogRecoveryRetry(ILogger logger, string sequence, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sequence {Sequence} preempted after {Tokens} tokens: its pages are freed and it will be recomputed")]
    internal static partial void LogPreempted(ILogger logger, string sequence, int tokens);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sequence {Sequence} could not reach a stage: {Error}")]
    internal static partial void LogSendFailed(ILogger logger, string sequence, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sequence {Sequence} could not free its pages on a stage ({Error}); they go when their lease runs out")]
    internal static partial void LogFreeFailed(ILogger logger, string sequence, string error);
}
