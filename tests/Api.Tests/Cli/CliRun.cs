using ClientCli = Cluster.Client.Cli;

namespace Cluster.Api.Tests.Cli;

/// <summary>One in-process run of the command-line tool with its output and errors captured.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> InvokeAsync(string[] args, string input = "", TextWriter? output = null)
    {
        output ??= new StringWriter();
        var error = new StringWriter();
        int exitCode = await ClientCli.InvokeAsync(args, new StringReader(input), output, error);
        return new CliRun(exitCode, output.ToString()!, error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- output\n{Output}\n--- error\n{Error}";
}
