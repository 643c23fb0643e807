using System.Text;
using System.Text.Json.Nodes;

namespace Cluster.Silo.Api.Streaming;

/// <summary>
/// OpenAI's streaming framing: <c>data: {json}\n\n</c> per chunk, flushed at once so a token
/// reaches the client when it is produced, and <c>data: [DONE]\n\n</c> at the end.
/// </summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    public bool Started { get; private set; }

    public async Task WriteAsync(JsonNode chunk, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public async Task DoneAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await response.WriteAsync("data: [DONE]\n\n", Encoding.UTF8, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
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
