using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// Replay after a loss. Steps travel one-way, so a step lost with a silo shows only as silence:
/// on each stall the stages' silos are checked against membership, and a gone silo (or a step
/// older than the step timeout) starts a replay under a new attempt number, bounded in count.
/// </summary>
internal sealed class ReplayRecovery(
    SequenceState state, SequencePipeline pipeline, PageReservations pages, SequenceAdmission admission, PrefillDecodeDriver driver, ClusterSiloOptions options, ILogger logger)
{
    /// <summary>Replays so far.</summary>
    public int Count { get; private set; }

    /// <summary>No report for a stall period: replays if a stage's silo is gone or the step has timed out, else lets it wait on.</summary>
    public async Task CheckStalledAsync(CancellationToken cancellationToken)
    {
        if (pipeline.FirstGone() is { } gone)
            await RecoverAsync($"silo {gone} of stage {Array.IndexOf(pipeline.Silos, gone)} is gone", cancellationToken);
        else if (DateTime.UtcNow - state.LastProgress > TimeSpan.FromSeconds(options.StepTimeoutSeconds))
            await RecoverAsync($"no answer from the pipeline for {options.StepTimeoutSeconds} s", cancellationToken);
    }

    /// <summary>
    /// Replays the sequence under a new attempt number: waits for a whole plan whose silos are all
    /// members (a spare has taken the gone silo's layers), reserves on every stage (stages that kept
    /// the sequence's pages keep them as they are and say how much of the history they hold; a stage
    /// placed again starts from an empty pool), re-registers sampling, and sends prompt + every
    /// streamed token as a prefill under a <see cref="ReplayPlan"/>: only the stages that lost the
    /// pages compute the whole history, fed from their predecessor's activation log; the others
    /// compute only what they had not. The last stage then samples exactly the token the lost step
    /// would have: same history, same (seed, step).
    /// </summary>
    private async Task RecoverAsync(string reason, CancellationToken cancellationToken)
    {
        if (Count >= options.MaxRecoveries)
        {
            throw new TimeoutException($"sequence {state.Id}: {reason}; gave up after {Count} replays " +
                $"({state.Outputs.Count} tokens generated, {driver.Prefilled} of {driver.HistoryLength} history tokens sent in the last attempt)");
        }
        Count++;
        state.Epoch++; // from here on, reports and steps of the replaced attempt are ignored
        var started = DateTime.UtcNow;
        SequenceGrain.LogRecovering(logger, state.Id, reason, Count, state.Outputs.Count);
        var deadline = started + TimeSpan.FromSeconds(options.PlanTimeoutSeconds);
        while (true)
        {
            try
            {
                await pipeline.WaitForLivePlanAsync(deadline, cancellationToken);
                await pages.ReserveEverywhereAsync(DateTime.UtcNow + TimeSpan.FromSeconds(options.AdmissionTimeoutSeconds), cancellationToken);
                await driver.StartAttemptAsync();
                break;
            }
            catch (ClusterOverloadedException)
            {
                // The stages placed again filled up with new sequences meanwhile: give way (free
                // everything, to be recomputed) and queue again ahead of the bound, as accepted work.
                await admission.PreemptAsync(cancellationToken);
                await driver.StartAttemptAsync();
                break;
            }
            catch (Exception e) when (TransientFailure.Is(e, cancellationToken) && DateTime.UtcNow < deadline)
            {
                SequenceGrain.LogRecoveryRetry(logger, state.Id, e.Message);
                await Task.Delay(250, cancellationToken);
            }
        }
        SequenceGrain.LogRecovered(logger, state.Id, (DateTime.UtcNow - started).TotalMilliseconds, driver.HistoryLength, string.Join(' ', driver.ComputeFrom));
    }
}
