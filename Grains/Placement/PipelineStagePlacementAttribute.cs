namespace Cluster.Grains.Placement;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PipelineStagePlacementAttribute() : PlacementAttribute(new PipelineStagePlacementStrategy());
