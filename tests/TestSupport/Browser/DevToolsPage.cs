using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Cluster.TestSupport.Browser;

/// <summary>
/// One tab over the Chrome DevTools protocol (JSON over a WebSocket): commands are answered by id;
/// of the events only the page's uncaught script errors are kept, so that a failing test says
/// what broke in the page.
/// </summary>
public sealed class DevToolsPage : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _receiving;
    private int _nextId;

    private DevToolsPage(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>Uncaught exceptions and console errors the page has produced so far.</summary>
    public IReadOnlyCollection<string> ScriptErrors => _errors.ToArray();

    public static async Task<DevToolsPage> ConnectAsync(Uri webSocket)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(webSocket, CancellationToken.None);
        var page = new DevToolsPage(socket);
        await page.SendAsync("Page.enable");
        await page.SendAsync("Runtime.enable");
        return page;
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null, TimeSpan? timeout = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
        return await answer.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitUntilAsync("document.readyState === 'complete'", TimeSpan.FromSeconds(30));
    }

    /// <summary>The value of a script expression (promises awaited), as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is JsonObject error)
            throw new InvalidOperationException($"the page's script failed: {error["exception"]?["description"] ?? error["text"]}\nexpression: {expression}");
        return result["result"]?["value"];
    }

    /// <summary>Polls a boolean expression until it holds; the timeout names it and the page's script errors.</summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await EvaluateAsync($"Boolean({condition})") is JsonValue value && value.GetValue<bool>()) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the page never showed {condition} within {timeout.TotalSeconds:0} s; script errors: {string.Join(" | ", ScriptErrors)}");
            await Task.Delay(200);
        }
    }

    /// <summary>A PNG of the page as drawn now.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)shot["data"]!);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                var chunk = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (chunk.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, chunk.Count);
                if (!chunk.EndOfMessage) continue;
                Dispatch(JsonNode.Parse(message.ToArray())!);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed: nothing more will be answered.
        }
        foreach (var pending in _pending.Values) pending.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    private void Dispatch(JsonNode message)
    {
        if (message["id"] is JsonValue id && _pending.TryRemove(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is JsonObject error) answer.TrySetException(new InvalidOperationException($"DevTools: {error["message"]}"));
            else answer.TrySetResult(message["result"] ?? new JsonObject());
            return;
        }
        string? method = (string?)message["method"];
        var parameters = message["params"];
        if (method == "Runtime.exceptionThrown")
            _errors.Enqueue(parameters?["exceptionDetails"]?["exception"]?["description"]?.ToString() ?? message.ToJsonString());
        else if (method == "Runtime.consoleAPICalled" && (string?)parameters?["type"] == "error")
            _errors.Enqueue(parameters?["args"]?.ToJsonString() ?? "console.error");
    }

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        try
        {
            await _receiving;
        }
        finally
        {
            _socket.Dispose();
            _closing.Dispose();
            _sending.Dispose();
        }
    }
}
