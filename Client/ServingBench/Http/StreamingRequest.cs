using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Cluster.ServingBench.Statistics;
using Cluster.ServingBench.Workload;

namespace Cluster.ServingBench.Http;

/// <summary>
/// Sends one streaming completion and times it: TTFT at the first chunk with text, an
/// inter-token latency for each later chunk with text, end-to-end at the end of the stream.
/// </summary>
public sealed class StreamingRequest(HttpClient http, Uri url, CompletionEndpoint endpoint, string model)
{
    public async Task<RequestOutcome> SendAsync(BenchPrompt prompt, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(endpoint.Body(model, prompt.Text, prompt.MaxTokens, prompt.Seed), Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                return RequestOutcome.Failed($"HTTP {(int)response.StatusCode}: {Truncate(body)}", watch.Elapsed.TotalMilliseconds);
            }
            await using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
            double? ttft = null;
            double last = 0;
            var itl = new List<double>();
            int chunks = 0;
            int? promptTokens = null, completionTokens = null;
            await foreach (string data in SseReader.ReadDataAsync(stream, cancel).ConfigureAwait(false))
            {
                double now = watch.Elapsed.TotalMilliseconds;
                var (text, p, c) = endpoint.Parse(data);
                promptTokens = p ?? promptTokens;
                completionTokens = c ?? completionTokens;
                if (text is null)
                    continue;
                chunks++;
                if (ttft is null)
                    ttft = now;
                else
                    itl.Add(now - last);
                last = now;
            }
            double e2e = watch.Elapsed.TotalMilliseconds;
            if (ttft is null)
                return RequestOutcome.Failed("the stream carried no text", e2e);
            return new RequestOutcome
            {
                Success = true,
                PromptTokens = promptTokens ?? prompt.InputLength,
                OutputTokens = completionTokens ?? chunks,
                TtftMs = ttft.Value,
                E2elMs = e2e,
                ItlMs = itl,
            };
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException
                                      || (e is TaskCanceledException && !cancel.IsCancellationRequested))
        {
            return RequestOutcome.Failed(e.Message, watch.Elapsed.TotalMilliseconds);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
