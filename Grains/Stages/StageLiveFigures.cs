using Cluster.Grains.Telemetry;

namespace Cluster.Grains.Stages;

/// <summary>
/// What a stage is doing now, for the live cluster page: the means of its last passes and hops
/// (over <see cref="ServingWindow.Length"/>), its busy fraction and its pool. Null figures mean no
/// pass or hop in the window.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-live")]
public sealed record StageLiveFigures
{
    [Id(0)] public double BusyFraction { get; init; }

    /// <summary>Sequences per forward pass.</summary>
    [Id(1)] public double? MeanBatchSize { get; init; }

    [Id(2)] public double? MeanBatchTokens { get; init; }

    [Id(3)] public double? ForwardMs { get; init; }

    /// <summary>The hop from the previous stage to this one (measured here, where it arrives); null on stage 0.</summary>
    [Id(4)] public double? HopInMs { get; init; }

    /// <summary>On the last stage, the hop to the sequence grains (on this silo); null elsewhere.</summary>
    [Id(5)] public double? HopOutMs { get; init; }

    [Id(6)] public int PagesUsed { get; init; }

    /// <summary>Pages holding a registered prompt prefix, in use or free (free ones are reused on a prefix hit).</summary>
    [Id(7)] public int PagesCached { get; init; }

    [Id(8)] public int PagesFree { get; init; }

    /// <summary>On the last stage, its replica's requests; null elsewhere.</summary>
    [Id(9)] public ServingFigures? Serving { get; init; }
}
