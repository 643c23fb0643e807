using System.CommandLine;
using Cluster.Client.Commands.Server;

namespace Cluster.Client.Commands.Chat;

/// <summary>
/// <c>chat --url</c>: an interactive conversation with a server's <c>/v1/chat/completions</c>,
/// reading questions from <paramref name="input"/> (standard input, so a pipe can drive it).
/// </summary>
internal static class ChatCommand
{
    public const string Name = "chat";

    public static Command Create(TextReader input)
    {
        var url = ServerOptions.Url(required: true);
        var model = ServerOptions.Model();
        var system = new Option<string?>("--system") { Description = "a system prompt, kept across /reset" };
        var sampling = new SamplingOptions(defaultMaxTokens: 256);
        var command = new Command(Name, $"Chat with a server (one question per line; {ChatSession.Reset} forgets the conversation, {ChatSession.Exit} quits, Ctrl+C stops an answer)")
        {
            url, model, system,
        };
        sampling.AddTo(command);
        command.SetAction((result, cancel) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            return ServerCall.RunAsync(result.GetValue(url)!, error, async client =>
            {
                string id = result.GetValue(model) ?? await client.DefaultModelAsync(cancel);
                var session = new ChatSession(client, id, sampling.Read(result), new ChatHistory(result.GetValue(system)), output, error);
                bool interactive = ReferenceEquals(input, Console.In) && !Console.IsInputRedirected;
                if (interactive)
                    await error.WriteLineAsync($"chatting with {id} at {client.BaseAddress} ({ChatSession.Reset}, {ChatSession.Exit}, Ctrl+C stops an answer)");
                // Cli leaves System.CommandLine's Ctrl+C handling off for this command: here Ctrl+C
                // stops the answer, not the session.
                ConsoleCancelEventHandler onCtrlC = (_, e) =>
                {
                    e.Cancel = true;
                    if (!session.CancelAnswer())
                        error.WriteLine($"(type {ChatSession.Exit} to quit)");
                };
                Console.CancelKeyPress += onCtrlC;
                try
                {
                    return await session.RunAsync(input, prompt: interactive, cancel);
                }
                finally
                {
                    Console.CancelKeyPress -= onCtrlC;
                }
            });
        });
        return command;
    }
}
