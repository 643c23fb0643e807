namespace Cluster.Grains.Routing;

/// <summary>A model's pipeline plan as a silo sees it, for clients and tests.</summary>
[GenerateSerializer, Immutable, Alias("cluster.plan-info")]
public sealed record PlanInfo(
    [property: Id(0)] bool Complete,
    [property: Id(1)] int Replicas,
    [property: Id(2)] int[] StagesPerReplica,
    [property: Id(3)] string Description);
