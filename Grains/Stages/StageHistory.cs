namespace Cluster.Grains.Stages;

/// <summary>
/// What a stage knows of each sequence's past that a replay can use instead of recomputing: how
/// many positions' K/V its pages hold (contiguous from 0), and, on all but the last stage, the
/// activations it sent on (<see cref="ActivationLog"/>), within a host-memory budget. A log that
/// would pass the budget stops growing: its later rows are recomputed by a replay instead.
/// </summary>
internal sealed class StageHistory(long logBudgetBytes)
{
    private readonly Dictionary<string, int> _computed = [];
    private readonly Dictionary<string, ActivationLog> _logs = [];

    /// <summary>Host memory the activation logs hold.</summary>
    public long LogBytes { get; private set; }

    /// <summary>Positions [0, n) whose K/V the sequence's pages here hold.</summary>
    public int Computed(string sequenceId) => _computed.GetValueOrDefault(sequenceId);

    /// <summary>Positions [0, n) whose activations this stage can send on again.</summary>
    public int Logged(string sequenceId) => _logs.TryGetValue(sequenceId, out var log) ? log.Rows : 0;

    /// <summary>
    /// A pass computed positions [first, end) of the sequence; <paramref name="sentOn"/> holds their
    /// output rows (null on the last stage, which sends none on).
    /// </summary>
    public void Record(string sequenceId, int first, int end, byte[]? sentOn)
    {
        int computed = Computed(sequenceId);
        if (first <= computed) _computed[sequenceId] = Math.Max(computed, end);
        if (sentOn is null || end <= first || logBudgetBytes <= 0) return;
        if (!_logs.TryGetValue(sequenceId, out var log))
            _logs[sequenceId] = log = new ActivationLog(sentOn.Length / (end - first));
        long spareBlocks = Math.Max(0, (logBudgetBytes - LogBytes) / log.BlockBytes);
        int maxRows = (int)Math.Min(int.MaxValue, (log.Bytes / log.BlockBytes + spareBlocks) * ActivationLog.BlockRows);
        LogBytes += log.Append(first, sentOn, maxRows);
    }

    /// <summary>Logged output rows of positions [from, to).</summary>
    public byte[] Read(string sequenceId, int from, int to) =>
        _logs.TryGetValue(sequenceId, out var log) ? log.Read(from, to)
        : to == from ? [] : throw new InvalidOperationException($"sequence {sequenceId} has no activation log here for rows [{from}, {to})");

    /// <summary>The sequence's pages are gone: so is what was known of them.</summary>
    public void Forget(string sequenceId)
    {
        _computed.Remove(sequenceId);
        if (_logs.Remove(sequenceId, out var log)) LogBytes -= log.Bytes;
    }
}
