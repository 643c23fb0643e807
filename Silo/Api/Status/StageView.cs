using Cluster.Grains.Stages;

namespace Cluster.Silo.Api.Status;

/// <summary>A stage as one reading of the cluster found it: its figures when it answered, and the loss it came from or is in.</summary>
public sealed record StageView(PlacedStage Stage, StageState State, StageStatus? Status, StageLoss? Loss, string? Reason);
