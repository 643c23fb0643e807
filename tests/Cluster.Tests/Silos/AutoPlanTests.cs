using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Grains.Routing;
using Cluster.Engine.Execution;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

/// <summary>Two silo processes with no explicit plan: the layers are split by the memory they advertise.</summary>
public sealed class AutoPlanTests : IAsyncLifetime
{
    private const string Model = "stories260k";
    private readonly List<SiloProcess> _silos = [];
    private ClientHost? _client;

    public async Task InitializeAsync()
    {
        if (!RedisServer.Reachable) return;
        var clusterId = "auto-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var (name, memory) in new[] { ("big", 3000), ("small", 1000) })
        {
            _silos.Add(await SiloProcess.StartAsync(name, [
                "--redis", RedisServer.Connection, "--cluster-id", clusterId,
                "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(),
                "--model", SharedModels.Stories260K, "--model-name", Model, "--auto", "true", "--expect-silos", "2", "--device-memory-mb", memory.ToString(),
            ], TimeSpan.FromSeconds(120)));
        }
        _client = await ClientHost.RedisAsync(clusterId);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        foreach (var silo in _silos) silo.Dispose();
    }

    [RedisFact]
    public async Task Generate_WhenSilosAdvertiseMemory_SplitsLayersByItAndAnswersLikeTheEngine()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var client = _client!.Client;
        await client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(60));
        using var source = SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
        using var reference = new ReferenceForward(ReferenceCheckpoint.Open());
        var request = Requests.Mixed(source.Config.VocabSize)[5];

        var tokens = await Requests.CollectAsync(client.GenerateAsync(Model, request, timeout.Token), timeout.Token);

        Assert.Equal(Oracle.Generate(reference, source.Config, request), tokens);
        var stages = await client.GetGrain<IRouterGrain>(Model).GetStagesAsync();
        // 5 layers over 3000 + 1000 MB, stories260K's LM head counted as 0.72 of a layer on the last
        // stage: four layers on the big silo and one on the small give the smallest largest load
        // (1.33 against 1.72 or 1.57 per GB), whichever of them is last. Stages follow the silos'
        // address order, which the random ports decide.
        Assert.Equal([1, 4], stages.Select(s => s.EndLayer - s.FirstLayer).Order());
        Assert.Equal(2, stages.Select(s => s.Silo).Distinct().Count());
    }
}
