using Cluster.Engine.Execution;
using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

/// <summary>
/// One real silo process (localhost clustering, no Redis) serving stories260K as three stages,
/// an Orleans client to it, and the single-process reference to compare answers with.
/// </summary>
public sealed class SingleSiloFixture : IAsyncLifetime
{
    public const string Model = "stories260k";
    private SiloProcess? _silo;
    private ClientHost? _client;

    public IClusterClient Client => _client!.Client;

    public SiloModel Source { get; private set; } = null!;

    public ReferenceForward Reference { get; private set; } = null!;

    public string SiloLog => _silo?.Log ?? "";

    public async Task InitializeAsync()
    {
        Source = SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
        Reference = new ReferenceForward(ReferenceCheckpoint.Open());
        int gateway = FreePorts.Next();
        _silo = await SiloProcess.StartAsync("single", [
            "--model", SharedModels.Stories260K, "--model-name", Model, "--stage-count", "3", "--page-size", "8", "--kv-cache-mb", "4",
            "--prefill-chunk", "32", "--measure-wire", "true",
            "--silo-port", FreePorts.Next().ToString(), "--gateway-port", gateway.ToString(),
        ], TimeSpan.FromSeconds(90));
        _client = await ClientHost.LocalhostAsync(gateway);
        await Client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        _silo?.Dispose();
        Reference?.Dispose();
        Source?.Dispose();
    }
}
