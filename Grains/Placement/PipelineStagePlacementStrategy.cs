namespace Cluster.Grains.Placement;

/// <summary>Places a stage grain on the silo the pipeline plan assigns its stage to.</summary>
[GenerateSerializer, Immutable, Alias("cluster.stage-placement")]
public sealed class PipelineStagePlacementStrategy : PlacementStrategy
{
}
