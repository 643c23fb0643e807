using Cluster.Grains.Routing;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Health;

/// <summary>
/// Whether this silo can serve: the router sees a complete pipeline for the model and its stages
/// have loaded their weights (<see cref="WarmupService"/> activates them once the plan is whole).
/// </summary>
public sealed class Readiness(IGrainFactory grains, ServedModel model)
{
    private volatile bool _warmedUp;
    private volatile string _waitingFor = "the stages' weights are loading";

    public void MarkWarmedUp() => _warmedUp = true;

    public void WaitingFor(string what) => _waitingFor = what;

    /// <summary>Null when ready, else what it is waiting for.</summary>
    public async Task<string?> ProblemAsync()
    {
        if (!_warmedUp) return _waitingFor;
        var plan = await grains.GetGrain<IRouterGrain>(model.Id).GetPlanAsync();
        return plan.Complete ? null : $"the pipeline of '{model.Id}' is incomplete: {plan.Description}";
    }

    /// <summary>503 with Retry-After while not ready.</summary>
    public async Task EnsureReadyAsync()
    {
        if (await ProblemAsync() is { } problem)
            throw ApiException.Unavailable($"not ready: {problem}", retryAfterSeconds: 2);
    }
}
