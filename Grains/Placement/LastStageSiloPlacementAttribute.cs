namespace Cluster.Grains.Placement;

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class LastStageSiloPlacementAttribute() : PlacementAttribute(new LastStageSiloPlacementStrategy());
