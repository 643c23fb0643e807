using Cluster.Grains.Routing;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Health;

/// <summary>
/// Whether this silo can serve: <see cref="WarmupService"/> has loaded its models (the generation
/// model's stages once its plan is whole, the embedding model's stages), and the router still sees
/// a complete pipeline for the generation model where one is served.
/// </summary>
public sealed class Readiness(IGrainFactory grains, ServedModels models)
{
    private volatile bool _warmedUp;
    private volatile string _waitingFor = "the models are loading";

    public void MarkWarmedUp() => _warmedUp = true;

    public void WaitingFor(string what) => _waitingFor = what;

    /// <summary>Null when ready, else what it is waiting for.</summary>
    public async Task<string?> ProblemAsync()
    {
        if (!_warmedUp) return _waitingFor;
        // An embedding model, once loaded, depends on no other silo: only a decoder's plan can come apart.
        if (models.Generation is not { } model) return null;
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
