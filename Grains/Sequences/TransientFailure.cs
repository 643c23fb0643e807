namespace Cluster.Grains.Sequences;

/// <summary>
/// Which failures a sequence retries: anything but a request that can never succeed (an
/// <see cref="ArgumentException"/>: too long for the pool, invalid) and its caller's own cancellation.
/// A stage's silo going away mid-call shows up as any other exception.
/// </summary>
internal static class TransientFailure
{
    public static bool Is(Exception e, CancellationToken cancellationToken) =>
        e is not ArgumentException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);
}
