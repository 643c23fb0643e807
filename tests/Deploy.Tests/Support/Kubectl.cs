using System.Diagnostics;

namespace Cluster.Deploy.Tests.Support;

/// <summary>Runs <c>kubectl kustomize</c> (offline: it needs no cluster).</summary>
internal static class Kubectl
{
    public static string? ExecutablePath { get; } = FindOnPath("kubectl");

    public static string SkipReason => "kubectl is not on PATH, so k8s/ cannot be rendered (install kubectl; with CI=true this fails instead).";

    public static string Kustomize(string directory)
    {
        var exe = ExecutablePath
            ?? throw new InvalidOperationException("kubectl is not on PATH; it is needed to render k8s/ (CI=true makes that a failure).");
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl kustomize {directory} took over 2 minutes.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
