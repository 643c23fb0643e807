namespace Cluster.Grains.Admission;

/// <summary>
/// A request refused because its replica's admission queue is full (or it waited its admission
/// timeout for pages): back-pressure, not a fault. The HTTP layer answers 429 with
/// <c>Retry-After</c>; nothing of the request was started, so retrying it is safe.
/// </summary>
[GenerateSerializer, Alias("cluster.overloaded")]
public sealed class ClusterOverloadedException : Exception
{
    public ClusterOverloadedException(string message, TimeSpan retryAfter) : base(message) => RetryAfterSeconds = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));

    public ClusterOverloadedException() : this("the cluster is overloaded", TimeSpan.FromSeconds(1))
    {
    }

    public ClusterOverloadedException(string message) : this(message, TimeSpan.FromSeconds(1))
    {
    }

    public ClusterOverloadedException(string message, Exception inner) : base(message, inner) => RetryAfterSeconds = 1;

    /// <summary>Whole seconds the caller should wait before trying again.</summary>
    [Id(0)] public double RetryAfterSeconds { get; private set; }

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(RetryAfterSeconds);
}
