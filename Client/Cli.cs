using System.CommandLine;
using Cluster.Client.Commands;
using Cluster.Client.Commands.Chat;
using Cluster.Client.Commands.Generate;
using Cluster.Client.Commands.Status;
using Cluster.ServingBench;

namespace Cluster.Client;

/// <summary>
/// The command tree and how it is invoked, apart from <c>Program</c> so tests can run the tool
/// in-process with their own input and captured output.
/// </summary>
internal static class Cli
{
    /// <param name="input">where <c>chat</c> reads questions (standard input when null).</param>
    public static RootCommand Build(TextReader? input = null) => new("Command-line tool for the LLM inference cluster")
    {
        GenerateCommand.Create(),
        ChatCommand.Create(input ?? Console.In),
        StatusCommand.Create(),
        EngineBenchCommand.Create(),
        ExportCommand.Create(),
        BenchCommand.Create(),
    };

    /// <summary>
    /// The invocation settings for a parsed command line. System.CommandLine's own Ctrl+C handling
    /// cancels the command and ends it; <c>chat</c> handles Ctrl+C itself (it stops the answer,
    /// not the session), so for it that handling is left off.
    /// </summary>
    public static InvocationConfiguration Configuration(ParseResult parse, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration();
        if (output is not null)
            configuration.Output = output;
        if (error is not null)
            configuration.Error = error;
        if (parse.CommandResult.Command.Name == ChatCommand.Name)
            configuration.ProcessTerminationTimeout = null;
        return configuration;
    }

    public static Task<int> InvokeAsync(string[] args, TextReader? input = null, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = Build(input).Parse(args);
        return parse.InvokeAsync(Configuration(parse, output, error));
    }
}
