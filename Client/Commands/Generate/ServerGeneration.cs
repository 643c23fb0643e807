using Cluster.Client.Commands.Server;
using Cluster.Client.Http;

namespace Cluster.Client.Commands.Generate;

/// <summary>
/// <c>generate --url</c>: a streamed <c>/v1/completions</c>, the prompt then each piece of text
/// written and flushed as its chunk arrives.
/// </summary>
internal static class ServerGeneration
{
    public static Task<int> RunAsync(Uri url, string? model, string prompt, SamplingRequest sampling, TextWriter output, TextWriter error, CancellationToken cancel) =>
        ServerCall.RunAsync(url, error, async client =>
        {
            string id = model ?? await client.DefaultModelAsync(cancel);
            string? finish = null;
            bool started = false;
            try
            {
                await foreach (var delta in client.StreamCompletionAsync(id, prompt, sampling, cancel))
                {
                    if (!started)
                    {
                        // The prompt only once the server has accepted the request, so an error is not mixed with it.
                        await output.WriteAsync(prompt);
                        started = true;
                    }
                    await output.WriteAsync(delta.Text);
                    await output.FlushAsync(CancellationToken.None);
                    finish = delta.FinishReason ?? finish;
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                // Ctrl+C: the connection is closed, so the server stops and frees the sequence's pages.
            }
            finally
            {
                if (started)
                    await output.WriteLineAsync();
            }
            await error.WriteLineAsync($"[finish: {finish ?? (cancel.IsCancellationRequested ? "cancelled" : "none")}]");
            return 0;
        });
}
