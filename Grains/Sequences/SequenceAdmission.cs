using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// When a request runs: it waits its turn in its replica's bounded queue (refused at once when the queue
/// is full: the API answers 429) until it holds pages on every stage. A sequence preempted in a
/// replay gives everything back and queues again ahead of new requests, as accepted work.
/// </summary>
internal sealed class SequenceAdmission(
    SequenceState state, AdmissionQueue queue, PageReservations pages, SequencePipeline pipeline, SequenceMetrics metrics, ClusterSiloOptions options, ILogger logger)
{
    private bool _admitted;

    /// <summary>Waits its turn in the replica's queue (refused at once when the queue is full), then reserves everywhere.</summary>
    public async Task AdmitAsync(bool priority, CancellationToken cancellationToken)
    {
        using (await queue.EnterAsync(state.Key.Model, state.Key.Replica, priority, cancellationToken))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(options.AdmissionTimeoutSeconds);
            while (true)
            {
                try
                {
                    await pages.ReserveEverywhereAsync(deadline, cancellationToken);
                    break;
                }
                catch (Exception e) when (e is not ClusterOverloadedException && TransientFailure.Is(e, cancellationToken) && DateTime.UtcNow < deadline)
                {
                    // A stage's silo went while we reserved: wait for the plan to be whole on live silos again.
                    SequenceGrain.LogRecoveryRetry(logger, state.Id, e.Message);
                    await Task.Delay(250, cancellationToken);
                    await pipeline.WaitForLivePlanAsync(deadline, cancellationToken);
                }
            }
        }
        if (!_admitted) queue.Admitted();
        _admitted = true;
    }

    /// <summary>Gives way: frees everything (to be recomputed) and queues again, ahead of the bound.</summary>
    public async Task PreemptAsync(CancellationToken cancellationToken)
    {
        queue.CountPreemption();
        metrics.Preempted(state.Key.Model, state.Key.Replica);
        SequenceGrain.LogPreempted(logger, state.Id, state.Outputs.Count);
        await pages.FreeEverywhereAsync();
        await AdmitAsync(priority: true, cancellationToken);
    }

    /// <summary>The sequence is done: its place among the running ones is free (if it ever had one).</summary>
    public void Leave()
    {
        if (_admitted) queue.Finished();
    }
}
