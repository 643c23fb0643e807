namespace Cluster.Grains.Stages;

/// <summary>
/// When a stage last heard from each sequence holding pages on it. The sequence grain owns the
/// pages, but it lives on another silo and can die with it; then nobody frees them, so a sequence
/// silent for a whole lease is taken for dead and its pages reclaimed. Plain C# for unit tests.
/// </summary>
public sealed class LeaseTable(TimeSpan lease)
{
    private readonly Dictionary<string, DateTimeOffset> _lastHeard = [];

    public TimeSpan Lease { get; } = lease;

    public int Count => _lastHeard.Count;

    public void Renew(string sequenceId, DateTimeOffset now) => _lastHeard[sequenceId] = now;

    /// <summary>Renews only a sequence already tracked (a keep-alive must not resurrect a freed one).</summary>
    public bool RenewKnown(string sequenceId, DateTimeOffset now)
    {
        if (!_lastHeard.ContainsKey(sequenceId)) return false;
        _lastHeard[sequenceId] = now;
        return true;
    }

    public void Forget(string sequenceId) => _lastHeard.Remove(sequenceId);

    /// <summary>Sequences not heard from for a whole lease, oldest first; they stay tracked until forgotten.</summary>
    public IReadOnlyList<string> Expired(DateTimeOffset now) =>
        _lastHeard.Where(e => now - e.Value >= Lease).OrderBy(e => e.Value).Select(e => e.Key).ToArray();
}
