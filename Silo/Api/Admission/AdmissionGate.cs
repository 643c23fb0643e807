using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Admission;

/// <summary>
/// The silo's bounded admission: at most <see cref="ApiOptions.MaxConcurrentRequests"/> generate
/// at once and <see cref="ApiOptions.MaxQueuedRequests"/> wait; one more is refused with 429 and
/// <c>Retry-After</c> at once, rather than queueing without bound (back-pressure, not collapse).
/// </summary>
public sealed class AdmissionGate(IOptions<ApiOptions> options) : IDisposable
{
    private readonly ApiOptions _options = options.Value;
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentRequests, options.Value.MaxConcurrentRequests);
    private int _admitted;

    public int Running => _options.MaxConcurrentRequests - _slots.CurrentCount;

    public int Queued => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    public int Capacity => _options.MaxConcurrentRequests + _options.MaxQueuedRequests;

    /// <summary>A slot, after waiting in the queue if all are taken; 429 when the queue is full too.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > Capacity)
        {
            Interlocked.Decrement(ref _admitted);
            throw new ApiException(StatusCodes.Status429TooManyRequests,
                $"too many requests: {_options.MaxConcurrentRequests} running and {_options.MaxQueuedRequests} queued; retry later",
                "rate_limit_error", code: "queue_full") { RetryAfterSeconds = _options.RetryAfterSeconds };
        }
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }
        return new Lease(this);
    }

    public void Dispose() => _slots.Dispose();

    private void Leave()
    {
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    private sealed class Lease(AdmissionGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Leave();
        }
    }
}
