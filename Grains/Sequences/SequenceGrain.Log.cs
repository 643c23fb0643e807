using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

public sealed partial class SequenceGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sequence {Sequence} stopped by its caller after {Tokens} tokens")]
    private static partial void LogStopped(ILogger logger, string sequence, int tokens);
}
