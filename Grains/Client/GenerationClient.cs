using System.Runtime.CompilerServices;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;

namespace Cluster.Grains.Client;

/// <summary>Drives a generation from outside the cluster (an Orleans client) or from a grain.</summary>
public static class GenerationClient
{
    /// <summary>Asks the model's router for a sequence on the least loaded replica and streams its tokens.</summary>
    public static async IAsyncEnumerable<GeneratedToken> GenerateAsync(this IGrainFactory grains, string model, GenerateRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var key = await grains.GetGrain<IRouterGrain>(model).OpenSequenceAsync(cancellationToken);
        await foreach (var token in grains.GetGrain<ISequenceGrain>(key).GenerateAsync(request, cancellationToken).WithCancellation(cancellationToken))
            yield return token;
    }

    /// <summary>Waits until the silos advertise a whole pipeline for every replica of the model.</summary>
    public static async Task<PlanInfo> WaitForPlanAsync(this IGrainFactory grains, string model, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var plan = await grains.GetGrain<IRouterGrain>(model).GetPlanAsync();
            if (plan.Complete) return plan;
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"no complete pipeline for '{model}' after {timeout}: {plan.Description}");
            await Task.Delay(200, cancellationToken);
        }
    }
}
