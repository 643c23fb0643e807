using System.Diagnostics;

namespace Cluster.Api.Tests.Support;

/// <summary>One run of the real silo process to its exit (a start that is refused, or <c>--help</c>), with what it printed.</summary>
public sealed record SiloCommand(int ExitCode, string Output, string Error)
{
    /// <summary>Every non-empty line the process printed, stdout then stderr.</summary>
    public IReadOnlyList<string> Lines => (Output + "\n" + Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static async Task<SiloCommand> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloProcess.SiloDll);
        // Ports of its own, so a start that is not refused cannot collide with another test's silo.
        foreach (var arg in args.Concat(["--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(), "--http-port", FreePorts.Next().ToString()]))
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the silo did not exit within 90 s:\n{await output}\n{await error}");
        }
        return new SiloCommand(process.ExitCode, await output, await error);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
