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
    /// breaks, or stalls until <see cref="SequenceWatch"/> finds the sequence gone. The tokens
    /// streamed so far are kept here, so the request is submitted again (a new sequence, once the
    /// plan is whole again) with them as <see cref="GenerateRequest.ResumeFrom"/>: the new sequence
    /// computes them as history and streams only what follows, sampled with the same seed and step
    /// numbers, so the caller sees the same tokens, none twice. Bad requests, overload and the
    /// caller's cancellation are not retried.
    /// </summary>
    public static async IAsyncEnumerable<GeneratedToken> GenerateAsync(this IGrainFactory grains, string model, GenerateRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A resumed sequence must draw the same numbers: fix an unseeded request's seed here, once.
        if (request.Sampling.Seed is null) request = request with { Sampling = request.Sampling with { Seed = request.Sampling.ToEngine().ResolveSeed() } };
        var streamed = new List<int>(request.ResumeFrom);
        for (int attempt = 0; ; attempt++)
        {
            var (sequence, home) = await OpenAsync(grains, model, retry: attempt > 0, cancellationToken);
            using var attemptEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var lost = SequenceWatch.WaitUntilLostAsync(sequence, home, attemptEnded.Token);
            var tokens = sequence.GenerateAsync(request with { ResumeFrom = [.. streamed] }, cancellationToken).GetAsyncEnumerator(cancellationToken);
            bool abandoned = false;
            try
            {
                while (true)
                {
                    // A caller that cancelled while holding the last token gets no further one, even if it already arrived.
                    cancellationToken.ThrowIfCancellationRequested();
                    var next = tokens.MoveNextAsync().AsTask();
                    if (attempt < MaxResumes && await Task.WhenAny(next, lost) != next)
                    {
                        Observe(next);
                        cancellationToken.ThrowIfCancellationRequested(); // the watch ended with the caller's cancel
                        abandoned = true;
                        break;
                    }
                    GeneratedToken token;
                    try
                    {
                        if (!await next) yield break;
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
            }
            finally
            {
                await attemptEnded.CancelAsync();
                Observe(lost);
                // The stream of a sequence on a dead silo may never finish disposing: let it go.
                if (abandoned) Observe(tokens.DisposeAsync().AsTask());
                else await tokens.DisposeAsync();
            }
            // The sequence's silo is gone: wait for the plan to be whole again (a spare takes over).
            await grains.WaitForPlanAsync(model, TimeSpan.FromSeconds(60), cancellationToken);
        }
    }

    /// <summary>
    /// Opens a sequence on the least loaded replica and learns which silo it lives on. A resume
    /// opens while the cluster is still getting over a lost silo, when a call can fail on the way
    /// (a gateway or directory entry on the dead silo): those failures are retried for a minute. A
    /// first attempt fails at once, so a request to a cluster that cannot serve it hears so.
    /// </summary>
    private static async Task<(ISequenceGrain Sequence, string Home)> OpenAsync(IGrainFactory grains, string model, bool retry, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                var key = await grains.GetGrain<IRouterGrain>(model).OpenSequenceAsync(cancellationToken);
                var sequence = grains.GetGrain<ISequenceGrain>(key);
                return (sequence, (await sequence.GetStatusAsync().WaitAsync(cancellationToken)).Silo);
            }
            catch (Exception e) when (retry && IsLost(e, cancellationToken) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    /// <summary>Lets a task that nobody awaits any more fail without an unobserved exception.</summary>
    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

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
