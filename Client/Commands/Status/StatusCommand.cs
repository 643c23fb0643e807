using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cluster.Client.Commands.Server;
using Cluster.Client.Http;
using Cluster.Client.Terminal;
using Spectre.Console;

namespace Cluster.Client.Commands.Status;

/// <summary>
/// <c>status --url</c>: the cluster as one silo sees it (<c>/v1/cluster/status</c>,
/// <c>/v1/models</c>, <c>/ready</c>) as tables of silos and stages, or the raw JSON; with
/// <c>--wait</c> it first waits, with a progress line, until the server is ready.
/// </summary>
internal static class StatusCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var url = ServerOptions.Url(required: true);
        var json = new Option<bool>("--json") { Description = "print the raw JSON of /v1/cluster/status" };
        var wait = new Option<bool>("--wait") { Description = "wait until /ready answers 200 first (exit code 1 if it does not in time)" };
        var timeout = new Option<double>("--timeout") { Description = "seconds --wait waits at most", DefaultValueFactory = _ => 120 };
        var command = new Command("status", "Show a server's cluster: silos, stages (layers, device, KV pages, load), readiness") { url, json, wait, timeout };
        command.SetAction((result, cancel) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            return ServerCall.RunAsync(result.GetValue(url)!, error, async client =>
            {
                var terminal = TerminalConsole.For(output);
                ReadyState? ready = null;
                if (result.GetValue(wait))
                {
                    ready = await WaitAsync(client, TimeSpan.FromSeconds(result.GetValue(timeout)), terminal, error, cancel);
                    if (!ready.Ready)
                        return ServerCall.Failed;
                }
                string status = await client.GetTextAsync("v1/cluster/status", cancel);
                if (result.GetValue(json))
                {
                    await output.WriteLineAsync(status);
                    return 0;
                }
                var models = JsonNode.Parse(await client.GetTextAsync("v1/models", cancel));
                ready ??= await client.ReadyAsync(cancel);
                Print(terminal, JsonNode.Parse(status)!, models, ready);
                return 0;
            });
        });
        return command;
    }

    private static void Print(TerminalConsole terminal, JsonNode status, JsonNode? models, ReadyState ready)
    {
        terminal.Console.Write(StatusTables.Models(models, terminal.Border));
        terminal.Console.Write(StatusTables.Silos(status, terminal.Border));
        terminal.Console.Write(StatusTables.Stages(status, terminal.Border));
        foreach (string line in StatusTables.Summary(status, ready))
            terminal.Console.WriteLine(line);
    }

    /// <summary>A spinner with the server's latest reason on a terminal; otherwise a line each time the reason changes.</summary>
    private static async Task<ReadyState> WaitAsync(OpenAiHttpClient client, TimeSpan timeout, TerminalConsole terminal, TextWriter error, CancellationToken cancel)
    {
        var wait = new ReadinessWait(client, timeout, PollInterval);
        ReadyState state;
        TimeSpan elapsed = TimeSpan.Zero;
        if (terminal.Interactive)
        {
            state = await terminal.Console.Status().Spinner(Spinner.Known.Dots).StartAsync(
                "waiting for /ready",
                context => wait.RunAsync((s, t) =>
                {
                    elapsed = t;
                    context.Status(Markup.Escape($"waiting for /ready ({Seconds(t)}): {s.Detail}"));
                }, cancel));
        }
        else
        {
            string? last = null;
            state = await wait.RunAsync((s, t) =>
            {
                elapsed = t;
                if (!s.Ready && s.Detail != last)
                    error.WriteLine($"waiting for /ready ({Seconds(t)}): {s.Detail}");
                last = s.Detail;
            }, cancel);
        }
        await error.WriteLineAsync(state.Ready ? $"ready after {Seconds(elapsed)}" : $"error: not ready after {Seconds(elapsed)}: {state.Detail}");
        return state;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture);
}
