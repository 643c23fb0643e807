namespace Cluster.Grains.Placement;

/// <summary>Places a sequence grain on its replica's last-stage silo, where its tokens are sampled.</summary>
[GenerateSerializer, Immutable, Alias("cluster.last-stage-placement")]
public sealed class LastStageSiloPlacementStrategy : PlacementStrategy
{
}
