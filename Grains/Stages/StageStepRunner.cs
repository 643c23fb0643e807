using Cluster.Engine.Execution;
using Cluster.Engine.Sampling;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Sequences;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Stages;

/// <summary>
/// One step of one sequence through a stage: checks it against the plan and the sequence's pages,
/// hands the rows this stage computes to the executor (whose loop batches every step queued
/// meanwhile into one pass), records what the pages and the activation log now hold, and sends
/// the output on: to the next stage, or, from the last, the sampled token to the sequence grain.
/// A step that cannot run is answered with an error to the sequence, never dropped silently,
/// unless it belongs to a sequence that is gone or to an attempt a replay replaced.
/// </summary>
internal sealed partial class StageStepRunner(
    StageKey key, StagePlacement placement, int stageCount, StageExecutor executor, StagePageLeases leases, StageSampling sampling,
    StageHistory history, ActivationForwarder? forwarder, StageLabels labels, IGrainFactory grains, TimeProvider time, ILogger logger)
{
    private bool IsLast => forwarder is null;

    /// <summary>Rows of K/V this stage's passes computed.</summary>
    public long RowsComputed { get; private set; }

    public async Task RunAsync(StageMessage message)
    {
        using var span = ServingTelemetry.Activities.StartActivity("stage.step");
        span?.SetTag("cluster.stage", key.ToString());
        span?.SetTag("cluster.sequence", message.SequenceId);
        span?.SetTag("cluster.tokens", message.TokenCount);
        if (Refusal(message) is { } refusal)
        {
            await FailAsync(message, refusal);
            return;
        }
        if (!leases.TryGetTable(message.SequenceId, out _))
        {
            LogDropped(logger, key.ToString(), message.SequenceId);
            return;
        }
        if (leases.IsStale(message.SequenceId, message.Epoch))
        {
            // Sent before the sequence started a replay: its K/V would land on the replay's.
            LogStale(logger, key.ToString(), message.SequenceId, message.Epoch);
            return;
        }
        leases.Renew(message.SequenceId);
        int end = message.CachedTokens + message.TokenCount;
        int first = ActivationForwarder.StartOf(message, key.Stage); // rows before it: K/V held here already (a replay)
        StageResult? result = null;
        if (first < end)
        {
            if (await GrowAsync(message, end) is not { } grown) return;
            if (grown.Length > 0) message = WithGrownPages(message, grown);
            if (!leases.TryGetTable(message.SequenceId, out var table)) return; // freed while it waited for a page
            var work = new StageWork
            {
                SequenceId = message.SequenceId,
                CachedTokens = first,
                TokenCount = end - first,
                PageIds = table,
                TokenIds = message.TokenIds is { } ids ? ids[(first - message.CachedTokens)..] : null,
                Hidden = message.Hidden,
                Output = IsLast ? sampling.OutputFor(message) : OutputRequest.None,
            };
            leases.StepStarted(message.SequenceId);
            try
            {
                result = await executor.SubmitAsync(work);
                RowsComputed += end - first;
            }
            catch (Exception e)
            {
                LogStepFailed(logger, e, key.ToString(), message.SequenceId);
                await FailAsync(message, $"stage {key} failed a step: {e.Message}");
                return;
            }
            finally
            {
                leases.StepDone(message.SequenceId);
            }
        }
        else if (IsLast && message.Sample)
        {
            await FailAsync(message, $"stage {key}: the replay plan skips position {end - 1}, which the last stage must sample from");
            return;
        }

        if (!leases.Holds(message.SequenceId)) return; // freed meanwhile: nobody waits for it
        if (leases.IsStale(message.SequenceId, message.Epoch)) return; // a replay began meanwhile
        history.Record(message.SequenceId, first, end, result?.Hidden);
        if (forwarder is not null) await ForwardAsync(forwarder, message, first, result?.Hidden);
        else await ReportAsync(message, end, result?.Token);
    }

    /// <summary>
    /// Gives the sequence the pages its step writes into: the page ids added (usually none; one
    /// when the step crosses into a new page), or null when the step must not go on. When the
    /// pool is dry, the newest running sequence is asked to give way (preemption by recompute: its
    /// grain frees its pages everywhere and readmits it later) and the step waits for pages; when
    /// the newest is this sequence itself, the step is dropped, since its grain will replay it.
    /// </summary>
    private async Task<int[]?> GrowAsync(StageMessage message, int end)
    {
        string sequenceId = message.SequenceId;
        while (true)
        {
            if (leases.TryGrow(sequenceId, end) is { } grown) return grown;
            if (leases.HoldsAlone(sequenceId))
            {
                await FailAsync(message, $"stage {key} cannot hold the sequence's {end} tokens: its {executor.PageCount} KV pages of {executor.PageSize} tokens are all this sequence's; shorten the prompt or max_tokens, or give the stage more KV memory");
                return null;
            }
            if (leases.NewestRunning() is { } victim)
            {
                LogAskingToGiveWay(logger, key.ToString(), victim, sequenceId);
                _ = AskToGiveWayAsync(victim, leases.AskedToGiveWay(victim));
                if (victim == sequenceId) return null;
            }
            await leases.WaitForFreePagesAsync(PageWait);
            if (!leases.Holds(sequenceId) || leases.IsStale(sequenceId, message.Epoch)) return null; // preempted meanwhile
        }
    }

    /// <summary>How long a step waiting for pages waits before it looks again at whom to ask.</summary>
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(1);

    private async Task AskToGiveWayAsync(string sequenceId, int epoch)
    {
        try
        {
            await Sequence(sequenceId).GiveWayAsync(epoch);
        }
        catch (Exception e)
        {
            LogGiveWayFailed(logger, key.ToString(), sequenceId, e.Message); // a gone grain's pages come back with its lease
        }
    }

    /// <summary>The step, telling the sequence of the pages this stage added for it (it learns of them with the token).</summary>
    private StageMessage WithGrownPages(StageMessage message, int[] grown)
    {
        var all = message.GrownPages is { } earlier ? (int[]?[])earlier.Clone() : new int[]?[stageCount];
        all[key.Stage] = grown;
        return message with { GrownPages = all };
    }

    /// <summary>Why the step must not run here at all, if it must not.</summary>
    private string? Refusal(StageMessage message)
    {
        // The plan changed since this stage was activated (an automatic plan that a late silo
        // re-split): running the step would silently compute the wrong layers.
        if (message.StageCount != stageCount)
            return $"stage {key} serves layers {placement.Layers} of a {stageCount}-stage plan, but the sequence runs on a {message.StageCount}-stage plan";
        if (message.ComputeFrom is { } plan && plan.Length != stageCount)
            return $"stage {key}: the replay plan names {plan.Length} stages, the pipeline has {stageCount}";
        if (IsLast && message.Sample && !sampling.Has(message.SequenceId))
            return $"stage {key} has no sampling settings for the sequence (RegisterSamplingAsync was not called here)";
        return null;
    }

    private async Task ForwardAsync(ActivationForwarder next, StageMessage message, int first, byte[]? computed)
    {
        byte[] hidden;
        try
        {
            hidden = next.RowsToSend(message, first, computed);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            // The plan asked for rows this stage's activation log does not hold.
            await FailAsync(message, $"stage {key}: {e.Message}");
            return;
        }
        await next.SendAsync(message, hidden);
    }

    /// <summary>The last stage's report: the token it sampled (none for a prefill chunk before the last), to the sequence on this silo.</summary>
    private Task ReportAsync(StageMessage message, int computedTokens, SampledToken? token)
    {
        if (token is not null) sampling.Append(message.SequenceId, token.TokenId);
        return Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
        {
            SequenceId = message.SequenceId,
            ComputedTokens = computedTokens,
            TokenId = token?.TokenId,
            Logprob = token?.Logprob ?? 0,
            TopTokenIds = token?.TopLogprobs.Select(t => t.TokenId).ToArray() ?? [],
            TopLogprobs = token?.TopLogprobs.Select(t => t.Logprob).ToArray() ?? [],
            Epoch = message.Epoch,
            GrownPages = message.GrownPages,
            SentAtTicks = time.GetUtcNow().UtcTicks,
            From = labels,
        });
    }

    private Task FailAsync(StageMessage message, string error) => Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
    {
        SequenceId = message.SequenceId,
        ComputedTokens = message.CachedTokens,
        Error = error,
        Epoch = message.Epoch,
    });

    private ISequenceGrain Sequence(string sequenceId) => grains.GetGrain<ISequenceGrain>(sequenceId);
}
