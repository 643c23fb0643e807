using Cluster.Grains.Pipeline;
using Orleans.Runtime.Placement;

namespace Cluster.Grains.Placement;

/// <summary>Reads the replica from the sequence key (<c>model/replica/id</c>) and places on its last stage's silo.</summary>
public sealed class LastStageSiloPlacementDirector(PipelinePlanView plans) : IPlacementDirector
{
    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = SequenceKey.Parse(target.GrainIdentity.Key.ToString()!);
        var plan = await plans.WaitAsync(key.Model, CancellationToken.None).ConfigureAwait(false);
        return plans.Resolve(plan.Stages(key.Replica)[^1].Silo, context.GetCompatibleSilos(target));
    }
}
