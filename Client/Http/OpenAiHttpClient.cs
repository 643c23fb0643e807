using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Cluster.ServingBench.Http;

namespace Cluster.Client.Http;

/// <summary>
/// The calls the command-line tool makes to an OpenAI-compatible server: streamed completions
/// and chat completions (server-sent events), the served models, readiness and the cluster
/// status. A non-2xx answer throws <see cref="ServerErrorException"/> with the server's error.
/// </summary>
internal sealed class OpenAiHttpClient : IDisposable
{
    // Non-streaming calls are small; a server that does not answer them in this time is stuck.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;

    public OpenAiHttpClient(Uri url)
    {
        // No client-wide timeout: a stream lasts as long as the answer; the caller cancels it.
        _http = new HttpClient { BaseAddress = ServerAddress.Normalize(url), Timeout = Timeout.InfiniteTimeSpan };
        ApiKeyHeader.Apply(_http);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>POST /v1/completions</c> streamed: the text of each chunk as it arrives.</summary>
    public IAsyncEnumerable<StreamDelta> StreamCompletionAsync(string model, string prompt, SamplingRequest sampling, CancellationToken cancel)
    {
        var body = sampling.ToJson(model);
        body["prompt"] = prompt;
        return StreamAsync("v1/completions", body, chat: false, cancel);
    }

    /// <summary><c>POST /v1/chat/completions</c> streamed: the assistant's text as it arrives.</summary>
    public IAsyncEnumerable<StreamDelta> StreamChatAsync(string model, IEnumerable<ChatMessage> messages, SamplingRequest sampling, CancellationToken cancel)
    {
        var body = sampling.ToJson(model);
        body["messages"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray());
        return StreamAsync("v1/chat/completions", body, chat: true, cancel);
    }

    /// <summary>The body of a GET that must succeed (<c>v1/cluster/status</c>, <c>v1/models</c>), as text.</summary>
    public async Task<string> GetTextAsync(string path, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(QueryTimeout);
        using var response = await _http.GetAsync(path, timeout.Token).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw ServerErrorException.FromBody((int)response.StatusCode, body);
        return body;
    }

    /// <summary>The id of the first model <c>/v1/models</c> lists: what a command uses when no <c>--model</c> is given.</summary>
    public async Task<string> DefaultModelAsync(CancellationToken cancel)
    {
        var models = JsonNode.Parse(await GetTextAsync("v1/models", cancel).ConfigureAwait(false));
        return models?["data"] is JsonArray { Count: > 0 } data && data[0]?["id"] is JsonValue id && id.TryGetValue(out string? name)
            ? name
            : throw new InvalidOperationException($"{BaseAddress}v1/models lists no model; pass --model");
    }

    /// <summary><c>GET /ready</c>: 200 is ready, 503 is not yet (with the server's reason); anything else throws.</summary>
    public async Task<ReadyState> ReadyAsync(CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(QueryTimeout);
        using var response = await _http.GetAsync("ready", timeout.Token).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return new ReadyState(true, "ready");
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            return new ReadyState(false, ServerErrorException.FromBody(503, body).Message);
        throw ServerErrorException.FromBody((int)response.StatusCode, body);
    }

    public void Dispose() => _http.Dispose();

    private async IAsyncEnumerable<StreamDelta> StreamAsync(string path, JsonObject body, bool chat, [EnumeratorCancellation] CancellationToken cancel)
    {
        body["stream"] = true;
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        // Disposing the response on cancel closes the connection: that is how the server learns to
        // stop generating and free the sequence's KV pages.
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw ServerErrorException.FromBody((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false));
        await using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        await foreach (string data in SseReader.ReadDataAsync(stream, cancel).ConfigureAwait(false))
        {
            if (StreamDelta.Parse(data, chat) is { } delta)
                yield return delta;
        }
    }
}
