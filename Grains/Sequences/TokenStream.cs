using System.Threading.Channels;

namespace Cluster.Grains.Sequences;

/// <summary>
/// The tokens on their way to the caller. The last stage's reports write them; the grain's
/// <c>GenerateAsync</c> reads them. Only the sequence grain writes, so a replay can never put a
/// token in twice or leave one out.
/// </summary>
internal sealed class TokenStream
{
    private readonly Channel<GeneratedToken> _channel = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private CancellationTokenSource? _waiting;

    public void Write(GeneratedToken token) => _channel.Writer.TryWrite(token);

    public void Complete(Exception? error) => _channel.Writer.TryComplete(error);

    public bool TryRead(out GeneratedToken token) => _channel.Reader.TryRead(out token!);

    /// <summary>
    /// Waits for tokens: true when there are some, false when the stream is over, null when
    /// <paramref name="stall"/> passed without either (steps travel one-way: a lost one is noticed
    /// only so) or <see cref="Interrupt"/> was called.
    /// </summary>
    public async Task<bool?> WaitAsync(TimeSpan stall, CancellationToken cancellationToken)
    {
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stalled.CancelAfter(stall);
        _waiting = stalled;
        try
        {
            return await _channel.Reader.WaitToReadAsync(stalled.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            _waiting = null;
        }
    }

    /// <summary>Ends the current wait early (the grain has something to do first: give way to another sequence).</summary>
    public void Interrupt() => _waiting?.Cancel();
}
