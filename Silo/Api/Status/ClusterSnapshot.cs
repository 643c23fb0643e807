using Cluster.Grains.Pipeline;

namespace Cluster.Silo.Api.Status;

/// <summary>One reading of a model's cluster: the plan, and every stage of the layout drawn (the plan's, or the last whole one while the plan is incomplete).</summary>
public sealed record ClusterSnapshot(PipelinePlan Plan, IReadOnlyList<StageView> Stages, DateTimeOffset At);
