using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cluster.Api.Tests.Support;

/// <summary>
/// A real silo process serving stories260K over HTTP on a free loopback port (Silo.dll from the
/// Silo project's build output), with a small admission limit so 429 can be provoked. Killed
/// with its children on dispose.
/// </summary>
public class SiloServer : IAsyncLifetime
{
    public const string Model = "stories260k";
    public const int MaxConcurrent = 2;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async Task InitializeAsync()
    {
        if (NeedsSharedModels && !SharedModels.Available && !SharedModels.RequiredByCi) return; // the tests using it are skipped
        int port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            SiloDll, "--urls", BaseAddress.ToString(), "--silo-port", FreePort().ToString(), "--gateway-port", FreePort().ToString(),
        }.Concat(Arguments())) start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"the silo exited:\n{Log}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await _ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        // Ready to serve once the stages are loaded.
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(200))
        {
            using var ready = await Http.GetAsync("/ready");
            if (ready.IsSuccessStatusCode) break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"/ready never answered 200:\n{Log}");
        }
    }

    /// <summary>Whether the silo serves a model from ../shared/models (its tests skip without it).</summary>
    protected virtual bool NeedsSharedModels => true;

    /// <summary>The silo's model and limits: stories260K with a small admission limit so 429 can be provoked.</summary>
    protected virtual IEnumerable<string> Arguments() =>
    [
        "--model", SharedModels.Path("stories260K", "stories260K.bin"), "--tokenizer", SharedModels.Path("stories260K", "tok512.bin"), "--model-name", Model,
        "--max-concurrent-requests", MaxConcurrent.ToString(), "--max-queued-requests", "0",
    ];

    public Task DisposeAsync()
    {
        Http?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The newest build of the silo (the Silo project's output), run as <c>dotnet Cluster.Silo.dll</c>.</summary>
    public static string SiloDll
    {
        get
        {
            var bin = Path.Combine(SharedModels.RepositoryRoot ?? throw new InvalidOperationException("Cluster.sln not found"), "Silo", "bin");
            return Directory.GetFiles(bin, "Cluster.Silo.dll", SearchOption.AllDirectories)
                .Where(f => File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault() ?? throw new FileNotFoundException($"Cluster.Silo.dll is not built under {bin}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
        if (line.StartsWith("SILO READY", StringComparison.Ordinal)) _ready.TrySetResult();
    }
}
