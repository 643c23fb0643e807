namespace Cluster.Api.Tests.Support;

/// <summary>
/// A real silo process (<see cref="SiloProcess"/>) serving stories260K over HTTP on a free
/// loopback port, with a small admission limit so 429 can be provoked. Killed with its children
/// on dispose.
/// </summary>
public class SiloServer : IAsyncLifetime
{
    public const string Model = "stories260k";
    public const int MaxConcurrent = 2;

    // Warnings only, the pipeline's information lines included: what the tests read is the
    // HTTP answers and the warnings a start gives.
    private static readonly Dictionary<string, string> Quiet = new() { ["Logging__LogLevel__Cluster"] = "Warning" };

    private SiloProcess? _silo;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string Log => _silo?.Log ?? "";

    public async Task InitializeAsync()
    {
        if (NeedsSharedModels && !SharedModels.Available && !SharedModels.RequiredByCi) return; // the tests using it are skipped
        BaseAddress = new Uri($"http://127.0.0.1:{FreePorts.Next()}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _silo = await SiloProcess.StartAsync(GetType().Name,
            ["--urls", BaseAddress.ToString(), "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(), .. Arguments()],
            TimeSpan.FromSeconds(90), Quiet);
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

    public virtual Task DisposeAsync()
    {
        Http?.Dispose();
        _silo?.Dispose();
        return Task.CompletedTask;
    }
}
