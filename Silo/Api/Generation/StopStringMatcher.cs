namespace Cluster.Silo.Api.Generation;

/// <summary>
/// Finds stop strings in streamed text, also when one is split across tokens: the last
/// (longest stop − 1) characters are held back until the next piece shows whether they start a
/// stop string. Text before a stop is released; the stop string itself never is (OpenAI's rule).
/// </summary>
public sealed class StopStringMatcher(IReadOnlyList<string> stops)
{
    private readonly int _holdBack = stops.Count == 0 ? 0 : stops.Max(s => s.Length) - 1;
    private string _pending = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds text; returns what can be released now. After a stop, the rest is dropped.</summary>
    public string Push(string text)
    {
        if (Stopped) return "";
        _pending += text;
        int stop = FirstStop();
        if (stop >= 0)
        {
            Stopped = true;
            string before = _pending[..stop];
            _pending = "";
            return before;
        }
        int release = Math.Max(0, _pending.Length - _holdBack);
        // Never split a surrogate pair between released and held text.
        if (release > 0 && release < _pending.Length && char.IsHighSurrogate(_pending[release - 1])) release--;
        string released = _pending[..release];
        _pending = _pending[release..];
        return released;
    }

    /// <summary>The generation ended: what was held back is released.</summary>
    public string Flush()
    {
        string rest = Stopped ? "" : _pending;
        _pending = "";
        return rest;
    }

    private int FirstStop()
    {
        int first = -1;
        foreach (var stop in stops)
        {
            int at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }
}
