using Cluster.Grains.Sequences;

namespace Cluster.Tests.Reliability;

/// <summary>One request's stream as the caller saw it: every token with its index and arrival time, and how it ended.</summary>
public sealed class TimedStream
{
    private readonly List<(GeneratedToken Token, DateTime At)> _tokens = [];

    public IReadOnlyList<(GeneratedToken Token, DateTime At)> Tokens
    {
        get { lock (_tokens) return _tokens.ToArray(); }
    }

    public int Count
    {
        get { lock (_tokens) return _tokens.Count; }
    }

    public Exception? Error { get; private set; }

    public int[] Ids => Tokens.Select(t => t.Token.TokenId).ToArray();

    /// <summary>Indexes 0, 1, 2, ... with no gap and no repeat.</summary>
    public bool Contiguous => Tokens.Select((t, i) => t.Token.Index == i).All(x => x);

    /// <summary>Tokens whose index is not the next expected one (repeated or after a gap).</summary>
    public int Misplaced => Tokens.Select((t, i) => t.Token.Index == i ? 0 : 1).Sum();

    /// <summary>The longest wait for a token that arrived after <paramref name="moment"/>: the recovery, which may begin a step or two after a kill (steps already past the lost stage still finish).</summary>
    public TimeSpan LongestGapSince(DateTime moment)
    {
        var times = Tokens.Select(t => t.At).ToList();
        var longest = TimeSpan.Zero;
        for (int i = 1; i < times.Count; i++)
            if (times[i] >= moment && times[i] - times[i - 1] > longest) longest = times[i] - times[i - 1];
        return longest;
    }

    public async Task RunAsync(IAsyncEnumerable<GeneratedToken> stream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var token in stream.WithCancellation(cancellationToken))
                lock (_tokens) _tokens.Add((token, DateTime.UtcNow));
        }
        catch (Exception e)
        {
            Error = e;
        }
    }
}
