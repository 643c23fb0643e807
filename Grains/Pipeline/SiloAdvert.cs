using System.Globalization;
using Cluster.Engine.Model;

namespace Cluster.Grains.Pipeline;

/// <summary>
/// What a silo tells the cluster through its metadata: the model it serves, the layers it hosts
/// (explicit) or the device memory it offers (automatic split), and which replicas it serves.
/// A spare advertises no layers of its own (<see cref="Spare"/>): the planner gives it the range of
/// a silo that has gone, so a stage whose silo died is placed again and its sequences replay.
/// <see cref="HeadLayers"/> is the LM head's cost in decoder layers (<see cref="StageCost"/>), which
/// an automatic split counts on the last stage.
/// </summary>
public sealed record SiloAdvert(string Silo, string Model, int TotalLayers, IReadOnlyList<LayerRange>? Layers, int? Replica, int Replicas, long MemoryMb,
    int ExpectedSilos = 1, string Dtype = "float32", double HeadLayers = 0)
{
    /// <summary>What a spare advertises in place of layer ranges.</summary>
    public const string SpareLayers = "spare";

    public const string ModelKey = "llm.model";
    public const string TotalLayersKey = "llm.total-layers";
    public const string LayersKey = "llm.layers";
    public const string ReplicaKey = "llm.replica";
    public const string ReplicasKey = "llm.replicas";
    public const string MemoryKey = "llm.memory-mb";
    public const string ExpectedSilosKey = "llm.expected-silos";
    public const string DtypeKey = "llm.dtype";
    public const string HeadLayersKey = "llm.head-layers";

    /// <summary>Serving the plan's share of layers (no explicit ranges).</summary>
    public bool Automatic => Layers is null;

    /// <summary>Hosts whichever explicit range no active silo hosts (none while the plan is whole).</summary>
    public bool Spare => Layers is { Count: 0 };

    public bool Serves(int replica) => Replica is null || Replica == replica;

    public Dictionary<string, string> ToMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            [ModelKey] = Model,
            [TotalLayersKey] = TotalLayers.ToString(CultureInfo.InvariantCulture),
            [LayersKey] = Layers is null ? "auto" : Layers.Count == 0 ? SpareLayers : string.Join(";", Layers.Select(r => $"{r.Start}-{r.End}")),
            [ReplicasKey] = Replicas.ToString(CultureInfo.InvariantCulture),
            [MemoryKey] = MemoryMb.ToString(CultureInfo.InvariantCulture),
            [ExpectedSilosKey] = ExpectedSilos.ToString(CultureInfo.InvariantCulture),
            [DtypeKey] = Dtype,
            [HeadLayersKey] = HeadLayers.ToString("R", CultureInfo.InvariantCulture),
        };
        if (Replica is { } replica) metadata[ReplicaKey] = replica.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    /// <summary>Reads an advert from silo metadata; null when the silo serves no model (or its metadata is not known yet).</summary>
    public static SiloAdvert? FromMetadata(string silo, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ModelKey, out var model) || !metadata.TryGetValue(TotalLayersKey, out var total) || !metadata.TryGetValue(LayersKey, out var layers))
            return null;
        int totalLayers = int.Parse(total, CultureInfo.InvariantCulture);
        IReadOnlyList<LayerRange>? ranges = layers == "auto"
            ? null
            : layers == SpareLayers
            ? []
            : layers.Split(';').Select(r => r.Split('-')).Select(p => new LayerRange(int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), totalLayers)).ToArray();
        int? replica = metadata.TryGetValue(ReplicaKey, out var r) ? int.Parse(r, CultureInfo.InvariantCulture) : null;
        int replicas = metadata.TryGetValue(ReplicasKey, out var rs) ? int.Parse(rs, CultureInfo.InvariantCulture) : 1;
        long memory = metadata.TryGetValue(MemoryKey, out var m) ? long.Parse(m, CultureInfo.InvariantCulture) : 0;
        int expected = metadata.TryGetValue(ExpectedSilosKey, out var e) ? int.Parse(e, CultureInfo.InvariantCulture) : 1;
        var dtype = metadata.TryGetValue(DtypeKey, out var d) ? d : "float32";
        double head = metadata.TryGetValue(HeadLayersKey, out var h) ? double.Parse(h, CultureInfo.InvariantCulture) : 0;
        return new SiloAdvert(silo, model, totalLayers, ranges, replica, replicas, memory, expected, dtype, head);
    }
}
