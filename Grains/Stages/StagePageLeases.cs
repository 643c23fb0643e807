using Cluster.Engine.Paging;

namespace Cluster.Grains.Stages;

/// <summary>
/// The sequences that hold pages on a stage: reservation (all pages or none), the attempt number
/// each sequence last reserved under (steps of an older attempt are stale), the steps still in the
/// executor (their pages go back only after them), and the lease that reclaims the pages of a
/// sequence whose grain died with its silo. Releasing a sequence forgets all a stage knew of it:
/// pages, lease, history and sampling state.
/// </summary>
internal sealed class StagePageLeases(SequencePages pages, TimeSpan lease, StageHistory history, StageSampling sampling, TimeProvider time, Action sequencesChanged)
{
    private readonly LeaseTable _leases = new(lease);
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly HashSet<string> _freeWhenIdle = [];
    private readonly Dictionary<string, int> _epochs = [];

    public TimeSpan Lease => _leases.Lease;

    /// <summary>Sequences reclaimed because their lease ran out.</summary>
    public long Expiries { get; private set; }

    public PageReservation Reserve(string sequenceId, int totalTokens, int epoch)
    {
        // Freed while a step still ran, and reserved again before it ended (a preempted sequence
        // back in its turn): keep the pages, but count nothing in them as computed.
        if (_freeWhenIdle.Remove(sequenceId)) history.Forget(sequenceId);
        bool granted = pages.TryReserve(sequenceId, totalTokens);
        if (granted)
        {
            sequencesChanged();
            _epochs[sequenceId] = Math.Max(epoch, _epochs.GetValueOrDefault(sequenceId));
            _leases.Renew(sequenceId, time.GetUtcNow());
        }
        var table = granted ? pages.GetTable(sequenceId).ToArray() : [];
        return new PageReservation(granted, table, pages.FreePages, pages.Pool.Capacity, pages.Pool.PageSize)
        {
            ComputedTokens = granted ? history.Computed(sequenceId) : 0,
            LoggedTokens = granted ? history.Logged(sequenceId) : 0,
        };
    }

    public void Free(string sequenceId)
    {
        // A step of the sequence may still be in the executor: its pass writes K/V into these
        // pages, so they go back to the pool only after it (or another sequence's K/V would be hit).
        if (_inFlight.ContainsKey(sequenceId)) _freeWhenIdle.Add(sequenceId);
        else Release(sequenceId);
    }

    /// <summary>A keep-alive: renews only a sequence still holding pages (it must not resurrect a freed one).</summary>
    public void RenewKnown(string sequenceId) => _leases.RenewKnown(sequenceId, time.GetUtcNow());

    public void Renew(string sequenceId) => _leases.Renew(sequenceId, time.GetUtcNow());

    /// <summary>The sequence's page ids, unless it holds none here or is being freed.</summary>
    public bool TryGetTable(string sequenceId, out int[] table)
    {
        table = [];
        if (_freeWhenIdle.Contains(sequenceId) || !pages.TryGetTable(sequenceId, out var held)) return false;
        table = held.ToArray();
        return true;
    }

    /// <summary>Whether the sequence still holds pages here (it may have been freed while its step ran).</summary>
    public bool Holds(string sequenceId) => pages.TryGetTable(sequenceId, out _);

    /// <summary>Sent under an attempt older than the one the sequence last reserved under: a replay has begun since.</summary>
    public bool IsStale(string sequenceId, int epoch) => epoch < _epochs.GetValueOrDefault(sequenceId);

    public void StepStarted(string sequenceId) => _inFlight[sequenceId] = _inFlight.GetValueOrDefault(sequenceId) + 1;

    public void StepDone(string sequenceId)
    {
        int left = _inFlight[sequenceId] - 1;
        if (left > 0)
        {
            _inFlight[sequenceId] = left;
            return;
        }
        _inFlight.Remove(sequenceId);
        if (_freeWhenIdle.Remove(sequenceId)) Release(sequenceId);
    }

    /// <summary>Frees the pages of sequences silent for a whole lease (their grain died with its silo); returns them.</summary>
    public IReadOnlyList<string> ExpireSilent()
    {
        var expired = new List<string>();
        foreach (var sequenceId in _leases.Expired(time.GetUtcNow()))
        {
            if (_inFlight.ContainsKey(sequenceId)) continue; // a step is running: it is not silent
            Expiries++;
            Release(sequenceId);
            expired.Add(sequenceId);
        }
        return expired;
    }

    private void Release(string sequenceId)
    {
        pages.Free(sequenceId);
        sequencesChanged();
        sampling.Forget(sequenceId);
        _epochs.Remove(sequenceId);
        _leases.Forget(sequenceId);
        history.Forget(sequenceId);
    }
}
