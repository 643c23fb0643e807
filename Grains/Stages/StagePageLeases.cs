using Cluster.Engine.Paging;

namespace Cluster.Grains.Stages;

/// <summary>
/// The sequences that hold pages on a stage: reservation (all pages or none, leaving the
/// watermark free for the running ones), growth a page at a time as a sequence's steps need it,
/// the choice of whom to preempt when the pool runs dry (the newest running sequence, as vLLM),
/// the attempt number each sequence last reserved under (steps of an older attempt are stale), the
/// steps still in the executor (their pages go back only after them), and the lease that reclaims
/// the pages of a sequence whose grain died with its silo. Releasing a sequence forgets all a
/// stage knew of it: pages, lease, history and sampling state.
/// </summary>
internal sealed class StagePageLeases(
    SequencePages pages, TimeSpan lease, double watermark, StageHistory history, StageSampling sampling, TimeProvider time, Action sequencesChanged, Action<int> pagesReleased)
{
    /// <summary>How long a sequence asked to give way is not asked again: long enough for its grain to free its pages everywhere.</summary>
    private static readonly TimeSpan PreemptionPatience = TimeSpan.FromSeconds(5);

    private readonly LeaseTable _leases = new(lease);
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly HashSet<string> _freeWhenIdle = [];
    private readonly Dictionary<string, int> _epochs = [];
    private readonly Dictionary<string, long> _arrivals = [];
    private readonly HashSet<string> _running = [];
    private readonly Dictionary<string, DateTimeOffset> _givingWay = [];
    private readonly List<TaskCompletionSource> _pageWaiters = [];
    private readonly int _watermarkPages = (int)(watermark * pages.Pool.Capacity);
    private long _lastArrival;

    public TimeSpan Lease => _leases.Lease;

    /// <summary>Sequences reclaimed because their lease ran out.</summary>
    public long Expiries { get; private set; }

    public PageReservation Reserve(string sequenceId, int totalTokens, int epoch)
    {
        // Freed while a step still ran, and reserved again before it ended (a preempted sequence
        // back in its turn): keep the pages, but count nothing in them as computed.
        bool readmitted = _freeWhenIdle.Remove(sequenceId);
        if (readmitted) history.Forget(sequenceId);
        bool arrives = readmitted || !pages.Has(sequenceId);
        bool granted = (!arrives || LeavesWatermark(totalTokens)) && pages.TryReserve(sequenceId, totalTokens);
        if (!granted && readmitted) _freeWhenIdle.Add(sequenceId); // still freed once its step is done
        if (granted)
        {
            if (arrives)
            {
                // The newest to arrive is the first to give way; a readmitted sequence is new again (vLLM's order).
                _arrivals[sequenceId] = ++_lastArrival;
                _running.Remove(sequenceId);
                _givingWay.Remove(sequenceId);
            }
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

    /// <summary>
    /// Makes the sequence's table hold <paramref name="totalTokens"/> tokens, a page at a time as
    /// its steps reach the end of its last page: the page ids added (none when it held them
    /// already), or null when the pool has none to give.
    /// </summary>
    public int[]? TryGrow(string sequenceId, int totalTokens)
    {
        int before = pages.GetTable(sequenceId).PageCount;
        if (!pages.TryReserve(sequenceId, totalTokens)) return null;
        var table = pages.GetTable(sequenceId).Pages;
        if (table.Count == before) return [];
        var added = new int[table.Count - before];
        for (int i = 0; i < added.Length; i++) added[i] = table[before + i];
        return added;
    }

    /// <summary>Whether the sequence is the only one holding pages here (then nobody can give way to it).</summary>
    public bool HoldsAlone(string sequenceId) => pages.SequenceCount == 1 && pages.Has(sequenceId);

    /// <summary>
    /// Whom to preempt when the pool is dry: the newest running sequence (it has run a step since
    /// its reservation; one still reserving across the pipeline is not running yet). Null while a
    /// sequence asked lately has not yet freed its pages (asking another too would preempt more
    /// than the pool needs), or when there is none to ask.
    /// </summary>
    public string? NewestRunning()
    {
        var now = time.GetUtcNow();
        foreach (var asked in _givingWay.Values)
            if (now - asked < PreemptionPatience) return null;
        string? newest = null;
        foreach (var sequenceId in _running)
        {
            if (_freeWhenIdle.Contains(sequenceId)) continue;
            if (newest is null || _arrivals[sequenceId] > _arrivals[newest]) newest = sequenceId;
        }
        return newest;
    }

    /// <summary>The sequence has been asked to give way; returns the attempt it was asked under.</summary>
    public int AskedToGiveWay(string sequenceId)
    {
        _givingWay[sequenceId] = time.GetUtcNow();
        return _epochs.GetValueOrDefault(sequenceId);
    }

    /// <summary>Completes when pages go back to the pool, or after <paramref name="timeout"/>.</summary>
    public Task WaitForFreePagesAsync(TimeSpan timeout)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pageWaiters.Add(waiter);
        return Task.WhenAny(waiter.Task, Task.Delay(timeout, time));
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

    public void StepStarted(string sequenceId)
    {
        _inFlight[sequenceId] = _inFlight.GetValueOrDefault(sequenceId) + 1;
        _running.Add(sequenceId);
    }

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

    private bool LeavesWatermark(int totalTokens) =>
        pages.SequenceCount == 0 || pages.FreePages - PageTable.PagesFor(totalTokens, pages.Pool.PageSize) >= _watermarkPages;

    private void Release(string sequenceId)
    {
        if (pages.TryGetTable(sequenceId, out var table)) pagesReleased(table.PageCount);
        pages.Free(sequenceId);
        sequencesChanged();
        _arrivals.Remove(sequenceId);
        _running.Remove(sequenceId);
        _givingWay.Remove(sequenceId);
        foreach (var waiter in _pageWaiters) waiter.TrySetResult();
        _pageWaiters.Clear();
        sampling.Forget(sequenceId);
        _epochs.Remove(sequenceId);
        _leases.Forget(sequenceId);
        history.Forget(sequenceId);
    }
}
