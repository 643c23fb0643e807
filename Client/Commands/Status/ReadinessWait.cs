using System.Diagnostics;
using Cluster.Client.Http;

namespace Cluster.Client.Commands.Status;

/// <summary>
/// Polls <c>GET /ready</c> until the server is ready or the time is up, reporting each answer
/// (the server's reason while it is not ready) so the caller can show progress.
/// </summary>
internal sealed class ReadinessWait(OpenAiHttpClient client, TimeSpan timeout, TimeSpan interval)
{
    public async Task<ReadyState> RunAsync(Action<ReadyState, TimeSpan> report, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            ReadyState state;
            try
            {
                state = await client.ReadyAsync(cancel);
            }
            catch (HttpRequestException e)
            {
                // A silo that is still starting does not listen yet: that is "not ready", not a failure.
                state = new ReadyState(false, $"no answer ({e.Message})");
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                state = new ReadyState(false, "no answer in time");
            }
            report(state, watch.Elapsed);
            if (state.Ready || watch.Elapsed >= timeout)
                return state;
            await Task.Delay(interval, cancel);
        }
    }
}
