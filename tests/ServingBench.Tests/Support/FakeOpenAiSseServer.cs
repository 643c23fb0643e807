using System.Net;
using System.Text;
using System.Text.Json;

namespace Cluster.ServingBench.Tests.Support;

/// <summary>
/// A TEST DOUBLE for the HTTP protocol only: an OpenAI-compatible <c>/v1/completions</c> SSE
/// endpoint on 127.0.0.1 that streams <c>max_tokens</c> chunks of one word each, a fixed delay
/// apart, then a usage chunk and <c>[DONE]</c>. It stands in for a real server so the
/// benchmark's client side can be checked end to end; it is not the silo's API.
/// </summary>
public sealed class FakeOpenAiSseServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly TimeSpan _tokenDelay;
    private readonly bool _reportUsage;
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    public FakeOpenAiSseServer(TimeSpan tokenDelay, bool reportUsage = true)
    {
        _tokenDelay = tokenDelay;
        _reportUsage = reportUsage;
        Port = FreePorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The most requests that were being answered at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The max_tokens of every request received, in arrival order.</summary>
    public List<int> MaxTokens { get; } = [];

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _requests);
        int inFlight = Interlocked.Increment(ref _inFlight);
        int seen;
        while (inFlight > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, seen) != seen)
        {
        }
        var response = context.Response;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            if (context.Request.Url?.AbsolutePath != "/v1/completions" || !body.RootElement.GetProperty("stream").GetBoolean())
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            int maxTokens = body.RootElement.GetProperty("max_tokens").GetInt32();
            string prompt = body.RootElement.GetProperty("prompt").GetString()!;
            lock (MaxTokens)
                MaxTokens.Add(maxTokens);
            response.ContentType = "text/event-stream";
            response.SendChunked = true;
            var output = response.OutputStream;
            for (int i = 0; i < maxTokens; i++)
            {
                await Task.Delay(_tokenDelay);
                await Send(output, $"{{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{{\"index\":0,\"text\":\" w{i}\",\"finish_reason\":null}}]}}");
            }
            if (_reportUsage)
            {
                int promptTokens = prompt.Split(' ').Length;
                await Send(output, $"{{\"id\":\"cmpl-1\",\"choices\":[],\"usage\":{{\"prompt_tokens\":{promptTokens},\"completion_tokens\":{maxTokens},\"total_tokens\":{promptTokens + maxTokens}}}}}");
            }
            await Send(output, "[DONE]");
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task Send(Stream output, string data)
    {
        var bytes = Encoding.UTF8.GetBytes($"data: {data}\n\n");
        await output.WriteAsync(bytes);
        await output.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
