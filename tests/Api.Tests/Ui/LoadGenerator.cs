using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Ui;

/// <summary>Keeps a few streamed completions running against a silo until disposed: the load the page must show.</summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _streams;
    private int _completed;

    public LoadGenerator(HttpClient http, int streams, int maxTokens)
    {
        _streams = Enumerable.Range(0, streams).Select(i => Task.Run(() => RunAsync(http, i, maxTokens))).ToArray();
    }

    public int Completed => Volatile.Read(ref _completed);

    private async Task RunAsync(HttpClient http, int stream, int maxTokens)
    {
        while (!_stop.IsCancellationRequested)
        {
            var body = new JsonObject
            {
                ["model"] = SiloServer.Model, ["prompt"] = $"Once upon a time, {stream}", ["max_tokens"] = maxTokens, ["temperature"] = 0.8, ["stream"] = true,
            };
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = JsonContent.Create(body) };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                response.EnsureSuccessStatusCode();
                await (await response.Content.ReadAsStreamAsync(_stop.Token)).CopyToAsync(Stream.Null, _stop.Token);
                Interlocked.Increment(ref _completed);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_streams);
        _stop.Dispose();
    }
}
