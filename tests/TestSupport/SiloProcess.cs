using System.Diagnostics;
using System.Text;

namespace Cluster.TestSupport;

/// <summary>
/// A real silo process started from the Silo project's build output. Its output is kept for
/// failure messages; Dispose kills it (and its children) whatever state it is in.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Cluster"] = "Information";
        start.Environment["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff "; // to line the silos' logs up
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"silo {Name} exited before it was ready:\n{Log}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Where the silo's HTTP API listens, from its <c>SILO READY ... http=URL</c> line.</summary>
    public Uri? Http { get; private set; }

    /// <summary>SIGKILL: the silo dies at once, mid-step, with no chance to tell anyone (.NET's Kill is SIGKILL on Unix).</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: the host stops gracefully (drains) and exits; false if it is still running after <paramref name="timeout"/>.</summary>
    public bool Terminate(TimeSpan timeout)
    {
        if (SendSignal(_process.Id, 15) != 0) throw new InvalidOperationException($"could not signal silo {Name}");
        return _process.WaitForExit(timeout);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>The silo's entry assembly, built beside this test project (same configuration preferred).</summary>
    public static string SiloDll
    {
        get
        {
            var root = Repository.Root ?? throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var found = Directory.Exists(Path.Combine(root, "Silo", "bin"))
                ? Directory.GetFiles(Path.Combine(root, "Silo", "bin"), "Cluster.Silo.dll", SearchOption.AllDirectories)
                    .Where(f => File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
                    .OrderByDescending(f => f.Contains($"{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}"))
                    .ThenByDescending(File.GetLastWriteTimeUtc)
                    .ToArray()
                : [];
            return found.FirstOrDefault() ?? throw new FileNotFoundException($"Cluster.Silo.dll is not built under {root}/Silo/bin; build Silo/Silo.csproj first");
        }
    }

    /// <summary>Starts the silo and waits for its <c>SILO READY</c> line; <paramref name="environment"/> overrides the log settings above.</summary>
    public static async Task<SiloProcess> StartAsync(string name, IEnumerable<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var silo = new SiloProcess(name, args, environment);
        try
        {
            await silo._ready.Task.WaitAsync(timeout);
            return silo;
        }
        catch (TimeoutException)
        {
            silo.Dispose();
            throw new TimeoutException($"silo {name} was not ready after {timeout}:\n{silo.Log}");
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        if (!line.StartsWith("SILO READY", StringComparison.Ordinal)) return;
        if (line.Split(' ').FirstOrDefault(p => p.StartsWith("http=", StringComparison.Ordinal)) is { } http) Http = new Uri(http["http=".Length..].Split(',')[0]);
        _ready.TrySetResult();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started or has already gone.
        }
        _process.Dispose();
    }
}
