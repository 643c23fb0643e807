using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cluster.TestSupport.Browser;

/// <summary>
/// Debian's <c>chromium</c> run headless with its DevTools protocol on a loopback port: the page
/// under test is driven as a person's browser would show it, with nothing downloaded (no
/// Selenium or Playwright browsers). Killed with its profile directory on dispose.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, Uri devTools)
    {
        _process = process;
        _profile = profile;
        DevTools = devTools;
    }

    /// <summary>The browser's DevTools HTTP address (<c>/json/...</c>).</summary>
    public Uri DevTools { get; }

    /// <summary>The browser on PATH (<c>CHROMIUM</c> names another), or null when none is installed.</summary>
    public static string? Executable { get; } = Find();

    public static async Task<HeadlessChromium> StartAsync(int width = 1400, int height = 1100)
    {
        var executable = Executable ?? throw new InvalidOperationException("chromium is not installed (Debian package chromium)");
        var profile = Directory.CreateTempSubdirectory("cluster-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless=new", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", $"--user-data-dir={profile}",
            // Tests run as root in containers, where Chromium's sandbox cannot start.
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            $"--window-size={width},{height}", "about:blank",
        }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (DevToolsLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri($"http://{m.Groups["host"].Value}/"));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return new HeadlessChromium(process, profile, await listening.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            lock (log) throw new TimeoutException($"chromium did not open its DevTools port:\n{log}");
        }
    }

    /// <summary>The browser's first tab, as a DevTools session.</summary>
    public async Task<DevToolsPage> OpenPageAsync()
    {
        using var http = new HttpClient { BaseAddress = DevTools };
        var targets = JsonNode.Parse(await http.GetStringAsync("/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        return await DevToolsPage.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A crash dump or lock file still being written: the temporary directory is cleaned later.
        }
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } named) return File.Exists(named) ? named : null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }

    [GeneratedRegex(@"DevTools listening on ws://(?<host>[^/]+)/")]
    private static partial Regex DevToolsLine();
}
