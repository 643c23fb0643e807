using Cluster.Engine.Execution;
using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Tests.Support;

namespace Cluster.Tests.Silos;

/// <summary>
/// Three real silo processes joined through Redis membership, stories260K's five layers split
/// 2/2/1 by explicit <c>--layers</c> plans, and an Orleans client through Redis. Without Redis
/// nothing starts (the tests skip, or fail under CI).
/// </summary>
public sealed class ThreeSiloFixture : IAsyncLifetime
{
    public const string Model = "stories260k";
    private readonly List<SiloProcess> _silos = [];
    private ClientHost? _client;

    public IClusterClient Client => _client!.Client;

    public SiloModel Source { get; private set; } = null!;

    public ReferenceForward Reference { get; private set; } = null!;

    public string Logs => string.Join("\n", _silos.Select(s => $"--- {s.Name}\n{s.Log}"));

    public async Task InitializeAsync()
    {
        if (!RedisServer.Reachable) return; // the facts skip (or fail under CI) on their own
        Source = SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
        Reference = new ReferenceForward(ReferenceCheckpoint.Open());
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        string[] plans = ["0-1", "2-3", "4"];
        var starts = plans.Select((layers, i) => SiloProcess.StartAsync($"silo{i} ({layers})", [
            "--redis", RedisServer.Connection, "--cluster-id", clusterId,
            "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(),
            "--model", SharedModels.Stories260K, "--model-name", Model, "--layers", layers, "--device", "cpu",
            "--page-size", "8", "--kv-cache-mb", "4", "--prefill-chunk", "32", "--measure-wire", "true",
        ], TimeSpan.FromSeconds(120))).ToArray();
        try
        {
            _silos.AddRange(await Task.WhenAll(starts));
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) start.Result.Dispose();
            throw;
        }
        _client = await ClientHost.RedisAsync(clusterId);
        await Client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        foreach (var silo in _silos) silo.Dispose();
        Reference?.Dispose();
        Source?.Dispose();
    }
}
