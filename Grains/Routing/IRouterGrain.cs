using Cluster.Grains.Stages;

namespace Cluster.Grains.Routing;

/// <summary>Chooses the replica for new requests of one model (keyed by the model's name).</summary>
[Alias("cluster.router")]
public interface IRouterGrain : IGrainWithStringKey
{
    /// <summary>A new sequence key on the replica with the most free pages, then the fewest sequences and queued steps.</summary>
    [Alias("open")]
    Task<string> OpenSequenceAsync(CancellationToken cancellationToken = default);

    [Alias("plan")]
    Task<PlanInfo> GetPlanAsync();

    /// <summary>Every stage of every replica (activating them: a way to warm the cluster up).</summary>
    [Alias("stages")]
    Task<StageStatus[]> GetStagesAsync();
}
