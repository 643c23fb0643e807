using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

/// <summary>
/// One silo process with two replicas of a two-stage pipeline and tiny page pools (8 pages of 8
/// tokens per stage), for admission, routing and back-pressure.
/// </summary>
public sealed class SmallPoolFixture : IAsyncLifetime
{
    public const string Model = "stories260k";
    public const int PageCount = 8;
    public const int PageSize = 8;
    private SiloProcess? _silo;
    private ClientHost? _client;

    public IClusterClient Client => _client!.Client;

    public SiloModel Source { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Source = SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
        int gateway = FreePorts.Next();
        _silo = await SiloProcess.StartAsync("small-pool", [
            "--model", SharedModels.Stories260K, "--model-name", Model, "--stage-count", "2", "--replicas", "2",
            "--page-size", PageSize.ToString(), "--page-count", PageCount.ToString(), "--admission-timeout", "20",
            "--silo-port", FreePorts.Next().ToString(), "--gateway-port", gateway.ToString(),
        ], TimeSpan.FromSeconds(90));
        _client = await ClientHost.LocalhostAsync(gateway);
        await Client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        _silo?.Dispose();
        Source?.Dispose();
    }
}
