using System.Net;
using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Grains.Routing;
using Cluster.Grains.Stages;
using Cluster.Tests.Support;
using Orleans.Configuration;

namespace Cluster.Tests.Reliability;

/// <summary>
/// Real silo processes over Redis membership: stories260K split 2/2/1 over three silos, plus
/// spares that host nothing until a silo goes. One cluster per test (a test kills silos), started
/// with short stall checks and leases so recovery is measured in seconds.
/// </summary>
public sealed class SpareCluster : IAsyncDisposable
{
    public const string Model = "stories260k";
    private static readonly string[] Plan = ["0-1", "2-3", "4"];
    private readonly List<SiloProcess> _silos = [];
    private readonly Dictionary<string, int> _gatewayPorts = [];
    private readonly Dictionary<string, int> _siloPorts = [];
    private string[] _options = [];
    private ClientHost? _client;

    private SpareCluster(string clusterId) => ClusterId = clusterId;

    public string ClusterId { get; }

    public IClusterClient Client => _client!.Client;

    /// <summary>The three stage silos in layer order, then the spares.</summary>
    public IReadOnlyList<SiloProcess> Silos => _silos;

    public IRouterGrain Router => Client.GetGrain<IRouterGrain>(Model);

    public string Logs
    {
        get { lock (_silos) return string.Join("\n", _silos.Select(s => $"--- {s.Name}\n{s.Log}")); }
    }

    public static async Task<SpareCluster> StartAsync(int spares, IEnumerable<string> extra)
    {
        var cluster = new SpareCluster("rel-" + Guid.NewGuid().ToString("N")[..8]);
        var options = cluster._options = extra.ToArray();
        try
        {
            // The stage silos first: a spare that joined a half-formed cluster would take a range as
            // if its silo had gone (harmless, but not the layout these tests describe).
            cluster._silos.AddRange(await Task.WhenAll(Plan.Select((layers, i) => cluster.StartSiloAsync($"silo{i} ({layers})", ["--layers", layers, .. options]))));
            cluster._client = await ClientHost.RedisAsync(cluster.ClusterId);
            await cluster.Client.WaitForPlanAsync(Model, TimeSpan.FromSeconds(60));
            await cluster.Router.GetStagesAsync(); // every stage loaded before any request
            for (int i = 0; i < spares; i++) cluster._silos.Add(await cluster.StartSiloAsync($"spare{i}", ["--spare", "true", .. options]));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A client whose one gateway is <paramref name="silo"/>: its calls pass through no other silo,
    /// so another silo's death leaves its streams attached, as it leaves those of a caller of the
    /// HTTP API on a surviving silo. (<see cref="Client"/> uses every silo's gateway.)
    /// </summary>
    public Task<ClientHost> ConnectThroughAsync(SiloProcess silo) => ClientHost.ConnectAsync(client =>
    {
        client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, _gatewayPorts[silo.Name]));
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = ClusterId;
            o.ServiceId = "llm";
        });
    });

    /// <summary>Starts one more spare (a replacement for a silo that died).</summary>
    public async Task<SiloProcess> AddSpareAsync(string name)
    {
        var spare = await StartSiloAsync(name, ["--spare", "true", .. _options]);
        lock (_silos) _silos.Add(spare);
        return spare;
    }

    /// <summary>The live silos that host a stage now (a spare that took a dead silo's range among them).</summary>
    public async Task<IReadOnlyList<SiloProcess>> StageSilosAsync()
    {
        var ports = (await StagesAsync()).Select(s => int.Parse(s.Silo.Split('@')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        lock (_silos) lock (_siloPorts) return _silos.Where(s => !s.HasExited && ports.Contains(_siloPorts[s.Name])).ToArray();
    }

    private Task<SiloProcess> StartSiloAsync(string name, IEnumerable<string> args)
    {
        int gatewayPort = FreePorts.Next(), siloPort = FreePorts.Next();
        lock (_gatewayPorts) _gatewayPorts[name] = gatewayPort;
        lock (_siloPorts) _siloPorts[name] = siloPort;
        return StartSiloProcessAsync(name, siloPort, gatewayPort, args);
    }

    private Task<SiloProcess> StartSiloProcessAsync(string name, int siloPort, int gatewayPort, IEnumerable<string> args) => SiloProcess.StartAsync(name, [
        "--redis", RedisServer.Connection, "--cluster-id", ClusterId,
        "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(),
        "--model", SharedModels.Stories260K, "--model-name", Model, "--device", "cpu", "--page-size", "8", "--prefill-chunk", "32",
        .. args,
    ], TimeSpan.FromSeconds(120));

    /// <summary>Stage figures, retried while a silo's death is still being noticed.</summary>
    public async Task<StageStatus[]> StagesAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await Router.GetStagesAsync();
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Waits (bounded) until every stage's pool is full again; returns the last figures.</summary>
    public Task<StageStatus[]> WaitForFullPoolsAsync(TimeSpan timeout) => Pools.WaitUntilFullAsync(StagesAsync, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        lock (_silos) foreach (var silo in _silos) silo.Dispose();
    }

    public static SiloModel OpenSource() => SiloModel.Open(new ClusterSiloOptions { Model = SharedModels.Stories260K });
}
