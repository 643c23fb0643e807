using System.Text;
using System.Text.Json.Nodes;

namespace Cluster.Silo.Api.Streaming;

/// <summary>
/// OpenAI's streaming framing: <c>data: {json}\n\n</c> per chunk, flushed at once so a token
/// reaches the client when it is produced, and <c>data: [DONE]\n\n</c> at the end. A write that
/// waits longer than <paramref name="writeTimeout"/> for a client that does not read ends the stream
/// with <see cref="StreamStalledException"/>, so a stalled reader cannot hold its KV pages forever.
/// </summary>
public sealed class ServerSentEvents(HttpResponse response, TimeSpan writeTimeout)
{
    public bool Started { get; private set; }

    public async Task WriteAsync(JsonNode chunk, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await SendAsync("data: " + chunk.ToJsonString() + "\n\n", cancellationToken);
    }

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await SendAsync("data: [DONE]\n\n", cancellationToken);
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        using var write = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        write.CancelAfter(writeTimeout);
        try
        {
            await response.WriteAsync(text, Encoding.UTF8, write.Token);
            await response.Body.FlushAsync(write.Token);
        }
        catch (OperationCanceledException) when (write.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StreamStalledException(writeTimeout);
        }
        // Kestrel may answer a cancelled flush with a cancelled result rather than an exception.
        if (write.IsCancellationRequested && !cancellationToken.IsCancellationRequested) throw new StreamStalledException(writeTimeout);
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Started) return;
        Started = true;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Proxies (nginx) must not buffer the stream.
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken);
    }
}
