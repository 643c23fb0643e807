using Cluster.Engine.Execution;
using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Tests.Support;

namespace Cluster.Tests.Preemption;

/// <summary>
/// Two real silo processes, each its own cluster serving stories260K with tiny page pools (8 pages
/// of 8 tokens per stage): one as a single stage, one as three, so every pages-on-demand and
/// preemption case runs on both. With the single-process reference to compare tokens with.
/// </summary>
public sealed class PreemptionFixture : IAsyncLifetime
{
    public const string Model = "stories260k";
    public const int PageCount = 8;
    public const int PageSize = 8;
    private readonly Dictionary<int, (SiloProcess Silo, ClientHost Client)> _pipelines = [];

    public SiloModel Source { get; private set; } = null!;

    public ReferenceForward Reference { get; private set; } = null!;

    /// <summary>The client of the silo whose pipeline has <paramref name="stages"/> stages (1 or 3).</summary>
    public IClusterClient Client(int stages) => _pipelines[stages].Client.Client;

    public string Log(int stages) => _pipelines[stages].Silo.Log;

    public async Task InitializeAsync()
    {
        Source = SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
        Reference = new ReferenceForward(ReferenceCheckpoint.Open());
        foreach (int stages in new[] { 1, 3 })
        {
            int gateway = FreePorts.Next();
            var silo = await SiloProcess.StartAsync($"preemption-{stages}", [
                "--model", SharedModels.Stories260K, "--model-name", Model, "--stage-count", stages.ToString(),
                "--page-size", PageSize.ToString(), "--page-count", PageCount.ToString(),
                "--silo-port", FreePorts.Next().ToString(), "--gateway-port", gateway.ToString(),
            ], TimeSpan.FromSeconds(90));
            var client = await ClientHost.LocalhostAsync(gateway);
            _pipelines[stages] = (silo, client);
            await client.Client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(30));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (silo, client) in _pipelines.Values)
        {
            await client.DisposeAsync();
            silo.Dispose();
        }
        Reference?.Dispose();
        Source?.Dispose();
    }
}
