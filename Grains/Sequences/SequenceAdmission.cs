using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// When a request runs: it waits its turn in its replica's bounded queue (refused at once when the queue
/// is full: the API answers 429) until it holds pages on every stage. A preempted sequence (a stage
/// ran out of pages and asked it to give way, or a replay found none) gives everything back and
/// queues again at the front, ahead of new requests, as accepted work; it counts as waiting meanwhile.
/// </summary>
internal sealed class SequenceAdmission(
    SequenceState state, AdmissionQueue queue, PageReservations pages, SequencePipeline pipeline, SequenceMetrics metrics, ClusterSiloOptions options, ILogger logger)
{
    private bool _admitted;
    private SequenceTimeline? _timeline;

    /// <summary>Times this sequence was preempted.</summary>
    public int Preemptions { get; private set; }

    /// <summary>A stage asked the running sequence to give way; the generate loop does it (<see cref="GiveWayAsync"/>).</summary>
    public bool GiveWayRequested { get; private set; }

    /// <summary>The request's phases, kept balanced when the sequence is preempted and readmitted.</summary>
    public void Track(SequenceTimeline timeline) => _timeline = timeline;

    /// <summary>A stage's request to give way: taken only for the current attempt of a running sequence.</summary>
    public void RequestGiveWay(int epoch)
    {
        if (!_admitted || state.Finished || epoch != state.Epoch || GiveWayRequested) return;
        GiveWayRequested = true;
        state.Stream?.Interrupt();
    }

    /// <summary>
    /// Gives way as a stage asked: a new attempt number first (the steps and reports of the
    /// current one are dropped from now on), then everything freed and queued again at the front;
    /// the caller then replays the history under the new attempt.
    /// </summary>
    public async Task GiveWayAsync(CancellationToken cancellationToken)
    {
        GiveWayRequested = false;
        state.Epoch++;
        await PreemptAsync(cancellationToken);
    }

    /// <summary>Waits its turn in the replica's queue (refused at once when the queue is full), then reserves everywhere.</summary>
    public async Task AdmitAsync(bool priority, CancellationToken cancellationToken)
    {
        using (await queue.EnterAsync(state.Key.Model, state.Key.Replica, priority, cancellationToken))
        {
            // Accepted work (preempted, or replaying) waits as long as a step may; a new request only its admission timeout.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(priority ? Math.Max(options.AdmissionTimeoutSeconds, options.StepTimeoutSeconds) : options.AdmissionTimeoutSeconds);
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
        if (_admitted) return;
        queue.Admitted();
        _admitted = true;
    }

    /// <summary>Gives way: frees everything (to be recomputed) and queues again, ahead of the bound.</summary>
    public async Task PreemptAsync(CancellationToken cancellationToken)
    {
        Preemptions++;
        queue.CountPreemption();
        metrics.Preempted(state.Key.Model, state.Key.Replica);
        SequenceGrain.LogPreempted(logger, state.Id, state.Outputs.Count);
        await pages.FreeEverywhereAsync();
        Leave();
        _timeline?.Preempted();
        await AdmitAsync(priority: true, cancellationToken);
        _timeline?.Readmitted();
    }

    /// <summary>The sequence is done: its place among the running ones is free (if it ever had one).</summary>
    public void Leave()
    {
        if (_admitted) queue.Finished();
        _admitted = false;
    }
}
