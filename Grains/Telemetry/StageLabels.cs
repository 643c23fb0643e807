namespace Cluster.Grains.Telemetry;

/// <summary>The labels every per-stage series carries (docs/metrics.md, "Per-stage metrics").</summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-labels")]
public sealed record StageLabels(
    [property: Id(0)] string Model,
    [property: Id(1)] int Replica,
    [property: Id(2)] int Stage,
    [property: Id(3)] string Layers,
    [property: Id(4)] string Device)
{
    public KeyValuePair<string, object?>[] Tags() =>
    [
        new("model", Model),
        new("replica", Replica.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("stage", Stage.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("layers", Layers),
        new("device", Device),
    ];
}
