using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Generation;

/// <summary>
/// <c>--request-timeout</c>: one token for the whole request (queueing, prefill, every step) that
/// fires when the client goes or when the deadline passes, and the error the latter is answered with.
/// </summary>
public sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _aborted;
    private readonly double _seconds;

    public RequestDeadline(double seconds, CancellationToken aborted)
    {
        _seconds = seconds;
        _aborted = aborted;
        _source = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        if (seconds > 0) _source.CancelAfter(TimeSpan.FromSeconds(seconds));
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The deadline passed (rather than the client going away).</summary>
    public bool Expired => _source.IsCancellationRequested && !_aborted.IsCancellationRequested;

    public ApiException Exceeded() => new(StatusCodes.Status504GatewayTimeout,
        $"the request ran past its deadline of {_seconds:0.###} s (--request-timeout); its generation was cancelled", "server_error", code: "request_timeout");

    public void Dispose() => _source.Dispose();
}
