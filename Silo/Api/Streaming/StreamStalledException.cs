namespace Cluster.Silo.Api.Streaming;

/// <summary>A stream's client stopped reading: one write waited past <c>--stream-write-timeout</c>.</summary>
public sealed class StreamStalledException(TimeSpan timeout)
    : Exception($"the client read nothing for {timeout.TotalSeconds:0.###} s (--stream-write-timeout)");
