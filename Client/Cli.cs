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
        Verbose,
    };

    /// <summary>On every command: a failure prints its stack trace too, not only the one line that says why.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "print the stack trace of a failure", Recursive = true };

    /// <summary>A command line that does not parse (an unknown or misspelt option, a bad value): argparse's and the silo's code.</summary>
    public const int UsageExitCode = 2;

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
        // Failures are reported by InvokeAsync as one line, not as System.CommandLine's stack trace.
        configuration.EnableDefaultExceptionHandler = false;
        return configuration;
    }

    /// <summary>
    /// Runs a command line: exit code 2 when it does not parse (System.CommandLine names the
    /// option and suggests the nearest), 1 with one line naming the file and the reason when a
    /// model or other input cannot be loaded (the stack trace with <c>--verbose</c>).
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TextReader? input = null, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = Build(input).Parse(args);
        var configuration = Configuration(parse, output, error);
        try
        {
            int code = await parse.InvokeAsync(configuration);
            return parse.Errors.Count > 0 ? UsageExitCode : code;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await configuration.Error.WriteLineAsync($"error: {Failure(e)}");
            if (parse.GetValue(Verbose)) await configuration.Error.WriteLineAsync(e.ToString());
            return 1;
        }
    }

    /// <summary>The reason in one line: the message of an expected kind of failure (a damaged file names itself), the type too otherwise.</summary>
    private static string Failure(Exception e) => e switch
    {
        Engine.Formats.ModelFormatException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or IOException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
