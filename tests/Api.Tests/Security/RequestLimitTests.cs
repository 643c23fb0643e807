using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Security;

/// <summary>
/// Each limit through the HTTP API of a real silo: the status and OpenAI error a request past it
/// gets; a request past its deadline; and a stream whose client stops reading, which must not hold
/// its KV pages.
/// </summary>
[Collection(HardenedSilos.Name)]
public sealed class RequestLimitTests(KeyedSiloServer keyed, DeadlineSiloServer slow)
{
    private const string Key = KeyedSiloServer.CommandLineKey;

    public static TheoryData<string, string, int, string?, string?, string> Cases => new()
    {
        // --max-request-body-mb 1: Kestrel refuses the body as it is read.
        { "/v1/completions", Completion($"\"{new string('x', 2 * 1024 * 1024)}\""), 413, null, "request_too_large", "Request body too large. The max request body size is 1048576 bytes." },
        // --max-messages 4.
        { "/v1/chat/completions", Chat(5), 400, "messages", null, "messages may hold at most 4 messages, got 5" },
        // --max-stop-strings 2.
        { "/v1/completions", Completion("\"Once\"", """ "stop":["a","b","c"], """), 400, "stop", null, "stop may hold at most 2 strings, got 3" },
        // OpenAI's ranges: top_logprobs 0..20, completions' logprobs 0..20 (vLLM's), n = 1 only here.
        { "/v1/chat/completions", Chat(1, """ "logprobs":true,"top_logprobs":21, """), 400, "top_logprobs", null, "top_logprobs must be in [0, 20], got 21" },
        { "/v1/completions", Completion("\"Once\"", """ "logprobs":21, """), 400, "logprobs", null, "logprobs must be in [0, 20], got 21" },
        { "/v1/completions", Completion("\"Once\"", """ "n":2, """), 400, "n", null, "n must be 1 (one choice per request is supported), got 2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_PastALimit_GetsItsStatusAndOpenAiError(string path, string body, int status, string? param, string? code, string message)
    {
        using var response = await HttpCase.SendAsync(keyed.Http, "POST", path, Key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(code, error["code"]?.GetValue<string>());
        Assert.Equal(message, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_AtTheLimits_IsServed()
    {
        var body = Chat(KeyedSiloServer.MaxMessages, """ "stop":["a","b"],"logprobs":true,"top_logprobs":20, """);
        using var response = await HttpCase.SendAsync(keyed.Http, "POST", "/v1/chat/completions", Key, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_PastItsDeadline_Gets504NamingTheTimeout()
    {
        var body = $$"""{"model":"{{DeadlineSiloServer.ModelId}}","prompt":"Once","max_tokens":400,"ignore_eos":true}""";
        using var response = await HttpCase.SendAsync(slow.Http, "POST", "/v1/completions", DeadlineSiloServer.Key, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal("request_timeout", error["code"]!.GetValue<string>());
        Assert.Contains("deadline of 1 s (--request-timeout)", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_PastItsDeadline_EndsWithAnErrorEventAndDone()
    {
        // Chat streams open with the assistant's role at once, so the deadline falls inside the stream.
        var body = $$"""{"model":"{{DeadlineSiloServer.ModelId}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":400,"ignore_eos":true,"stream":true}""";
        using var response = await HttpCase.SendAsync(slow.Http, "POST", "/v1/chat/completions", DeadlineSiloServer.Key, body);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        var error = JsonNode.Parse(events[^2]["data: ".Length..])!["error"]!;
        Assert.Equal("request_timeout", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_WhenTheClientStopsReading_IsCancelledAndFreesItsPages()
    {
        // A raw socket with a small receive window that reads the response headers and then nothing:
        // the server's buffers fill, a write waits past --stream-write-timeout, and the generation goes.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(keyed.BaseAddress.Host, keyed.BaseAddress.Port);
        var body = Chat(1, """ "stream":true,"logprobs":true,"top_logprobs":20,"ignore_eos":true, """, maxTokens: 8000);
        var request = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {keyed.BaseAddress.Authority}\r\nAuthorization: Bearer {Key}\r\n" +
                      $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        var first = new byte[64];
        Assert.True(await socket.ReceiveAsync(first) > 0);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!keyed.Log.Contains("--stream-write-timeout", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the stalled stream was never cancelled:\n{keyed.Log}");
            await Task.Delay(200);
        }
        // The client still holds its connection open and unread: the pages are back all the same.
        for (; ; await Task.Delay(200))
        {
            var status = JsonNode.Parse(await keyed.Http.GetStringAsync("/v1/cluster/status"))!;
            if (status["stages"]!.AsArray().All(s => s!["pages_used"]!.GetValue<int>() == 0)) break;
            Assert.True(DateTime.UtcNow < deadline, $"pages still used after the stall: {status}");
        }
        Assert.True(socket.Connected);
    }

    private static string Completion(string prompt, string extra = "") =>
        $$"""{"model":"{{HttpCase.Model}}",{{extra}}"prompt":{{prompt}},"max_tokens":1}""";

    private static string Chat(int messages, string extra = "", int maxTokens = 1) =>
        $$"""{"model":"{{HttpCase.Model}}",{{extra}}"messages":[{{string.Join(",", Enumerable.Range(0, messages).Select(i => i % 2 == 0 ? """{"role":"user","content":"Hi"}""" : """{"role":"assistant","content":"Hello"}"""))}}],"max_tokens":{{maxTokens}}}""";
}
