using System.Runtime.CompilerServices;
using Cluster.Grains.Admission;
using Cluster.Grains.Routing;
using Cluster.Grains.Sequences;

namespace Cluster.Grains.Client;

/// <summary>Drives a generation from outside the cluster (an Orleans client) or from a grain.</summary>
public static class GenerationClient
{
    /// <summary>Sequences one request may be resumed on after the one it ran on was lost.</summary>
    public const int MaxResumes = 3;

    /// <summary>
    /// Asks the model's router for a sequence on the least loaded replica and streams its tokens.
    /// A sequence grain lives on its replica's last-stage silo; if that silo dies, the stream
    /// breaks. The tokens streamed so far are kept here, so the request is submitted again (a new
    /// sequence, once the plan is whole again) with them as <see cref="GenerateRequest.ResumeFrom"/>:
    /// the new sequence computes them as history and streams only what follows, sampled with the same
    /// seed and step numbers, so the caller sees the same tokens, none twice. Bad requests, overload
    /// and the caller's cancellation are not retried.
    /// </summary>
    public static async IAsyncEnumerable<GeneratedToken> GenerateAsync(this IGrainFactory grains, string model, GenerateRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A resumed sequence must draw the same numbers: fix an unseeded request's seed here, once.
        if (request.Sampling.Seed is null) request = request with { Sampling = request.Sampling with { Seed = request.Sampling.ToEngine().ResolveSeed() } };
        var streamed = new List<int>(request.ResumeFrom);
        for (int attempt = 0; ; attempt++)
        {
            var key = await grains.GetGrain<IRouterGrain>(model).OpenSequenceAsync(cancellationToken);
            var stream = grains.GetGrain<ISequenceGrain>(key).GenerateAsync(request with { ResumeFrom = [.. streamed] }, cancellationToken);
            await using var tokens = stream.GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                GeneratedToken token;
                try
                {
                    if (!await tokens.MoveNextAsync()) yield break;
                    token = tokens.Current;
                }
                catch (Exception e) when (attempt < MaxResumes && IsLost(e, cancellationToken))
                {
                    break;
                }
                streamed.Add(token.TokenId);
                yield return token;
                if (token.Finish is not null) yield break;
            }
            // The sequence's silo is gone: wait for the plan to be whole again (a spare takes over).
            await grains.WaitForPlanAsync(model, TimeSpan.FromSeconds(60), cancellationToken);
        }
    }

    /// <summary>Failures that mean the sequence (or its silo) was lost rather than that the request is at fault.</summary>
    private static bool IsLost(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        ArgumentException or ClusterOverloadedException => false,
        _ => true,
    };

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
