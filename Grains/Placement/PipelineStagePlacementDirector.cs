using Cluster.Grains.Pipeline;
using Orleans.Runtime.Placement;

namespace Cluster.Grains.Placement;

/// <summary>Reads the stage from the grain key (<c>model/replica/stage</c>) and the silo from the plan.</summary>
public sealed class PipelineStagePlacementDirector(PipelinePlanView plans) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = StageKey.Parse(target.GrainIdentity.Key.ToString()!);
        var plan = await plans.WaitAsync(key.Model, CancellationToken.None).ConfigureAwait(false);
        var stages = plan.Stages(key.Replica);
        if (key.Stage >= stages.Count)
            throw new ArgumentOutOfRangeException(nameof(target), $"stage {key} does not exist: replica {key.Replica} of '{key.Model}' has {stages.Count} stages");
        return plans.Resolve(stages[key.Stage].Silo, context.GetCompatibleSilos(target));
    }
}
