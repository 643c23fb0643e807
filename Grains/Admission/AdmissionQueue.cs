using System.Collections.Concurrent;
using Cluster.Grains.Hosting;

namespace Cluster.Grains.Admission;

/// <summary>
/// The bounded queue new sequences wait in for KV pages, one per replica. It lives on the silo
/// (not in a grain) because every sequence of a replica is placed on that replica's last-stage
/// silo: the silo's queue is the replica's queue, with no extra hop. Sequences take turns in
/// arrival order, preempted ones at the front (<see cref="AdmissionLine"/>); only the one whose turn
/// it is asks the stages for pages, so a large request at the head is not starved by small ones behind it. Past <see cref="ClusterSiloOptions.MaxQueuedRequests"/>
/// waiting, a new request is refused at once with <see cref="ClusterOverloadedException"/>.
/// </summary>
public sealed class AdmissionQueue(SiloModel model)
{
    private readonly ConcurrentDictionary<(string Model, int Replica), AdmissionLine> _lines = new();
    private long _preemptions;
    private long _refused;
    private int _running;
    private volatile bool _closed;

    /// <summary>Sequences admitted on this silo and not yet finished.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Refuses every new request from now on (the silo is draining).</summary>
    public void Close() => _closed = true;

    public void Admitted() => Interlocked.Increment(ref _running);

    public void Finished() => Interlocked.Decrement(ref _running);

    /// <summary>Sequences preempted on this silo (pages freed, recomputed by replay later).</summary>
    public long Preemptions => Interlocked.Read(ref _preemptions);

    /// <summary>Requests refused because a queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public int Waiting(string modelName, int replica) => _lines.TryGetValue((modelName, replica), out var line) ? line.Waiting : 0;

    /// <summary>
    /// Waits for this sequence's turn to reserve pages; dispose the turn once reserved (or given up).
    /// <paramref name="priority"/> (a sequence already accepted: preempted, or replaying) is never refused.
    /// </summary>
    public async Task<IDisposable> EnterAsync(string modelName, int replica, bool priority, CancellationToken cancellationToken)
    {
        if (_closed && !priority)
        {
            Interlocked.Increment(ref _refused);
            throw new ClusterOverloadedException($"the silo of replica {replica} of {modelName} is shutting down; retry (another replica or the spare takes over)", TimeSpan.FromSeconds(1));
        }
        var line = _lines.GetOrAdd((modelName, replica), _ => new AdmissionLine());
        int limit = model.Options.MaxQueuedRequests;
        if (!line.TryJoin(priority ? int.MaxValue : limit))
        {
            Interlocked.Increment(ref _refused);
            throw new ClusterOverloadedException(
                $"replica {replica} of {modelName} is overloaded: {limit} requests already wait for KV pages; retry later",
                TimeSpan.FromSeconds(Math.Max(1, model.Options.AdmissionTimeoutSeconds / 10)));
        }
        return await line.WaitForTurnAsync(priority, cancellationToken).ConfigureAwait(true);
    }

    public void CountPreemption() => Interlocked.Increment(ref _preemptions);
}
