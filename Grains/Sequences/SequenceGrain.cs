using System.Runtime.CompilerServices;
using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Placement;
using Cluster.Grains.Stages;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// One request: waits its turn in the admission queue and reserves its pages on every stage
/// (<see cref="SequenceAdmission"/>, <see cref="PageReservations"/>), sends its history to stage 0
/// as prefill chunks and then one decode step per sampled token (<see cref="PrefillDecodeDriver"/>),
/// and streams the tokens the last stage's one-way reports feed (<see cref="TokenStream"/>). When a
/// stage's silo dies (or a step goes unanswered) it replays its history under a new attempt number
/// (<see cref="ReplayRecovery"/>); the caller sees no gap and no repeat, since only this grain
/// writes the stream. Frees every page on every stage when it finishes, is cancelled, or is
/// deactivated. The grain is the shell that wires these roles and owns the Orleans lifecycle.
/// </summary>
[LastStageSiloPlacement]
// It must stay on its replica's last-stage silo (tokens arrive there without a hop).
[Immovable]
// A finished sequence keeps only its history; it need not stay long after its last call.
[CollectionAgeLimit(Minutes = 2)]
// Reentrant on purpose: GenerateAsync's stream stays open for the whole generation while the last
// stage's OnStageOutcomeAsync reports must get in to feed it. All state is touched on the
// activation's thread. A replay runs inside GenerateAsync and interleaves with reports: it raises
// the attempt number first, so every report of the attempt it replaces is ignored.
[Reentrant]
public sealed partial class SequenceGrain(
    PipelinePlanView plans, SiloModel model, SiloLiveness liveness, AdmissionQueue admission, SequenceMetrics metrics, StageMetrics stageMetrics,
    TimeProvider time, ILocalSiloDetails local, ILogger<SequenceGrain> logger) : Grain, ISequenceGrain
{
    private SequenceState _state = null!;
    private SequencePipeline _pipeline = null!;
    private PageReservations _pages = null!;
    private SequenceAdmission _admission = null!;
    private PrefillDecodeDriver _driver = null!;
    private ReplayRecovery _recovery = null!;
    private IGrainTimer? _keepAlive;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var options = model.Options;
        _state = new SequenceState(SequenceKey.Parse(this.GetPrimaryKeyString()));
        _pipeline = new SequencePipeline(_state.Key, plans, liveness, GrainFactory, options);
        _pages = new PageReservations(_state, _pipeline, options, logger);
        _admission = new SequenceAdmission(_state, admission, _pages, _pipeline, metrics, options, logger);
        _driver = new PrefillDecodeDriver(_state, _pipeline, _pages, options, logger);
        _recovery = new ReplayRecovery(_state, _pipeline, _pages, _admission, _driver, options, logger);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await _pages.FreeEverywhereAsync();

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_state.Started) throw new InvalidOperationException($"sequence {_state.Id} has already run; ask the router for a new one");
        _state.Start(request, model.Config);
        if (_state.AlreadyDone)
        {
            _state.Finish();
            yield break; // a resumed request that had in fact already finished
        }
        await _pipeline.UseCurrentAsync(cancellationToken);

        var timeline = new SequenceTimeline(metrics, time, _state.Key.Model, _state.Key.Replica);
        _admission.Track(timeline);
        timeline.Waiting();
        try
        {
            await _admission.AdmitAsync(priority: false, cancellationToken);
        }
        catch (Exception e)
        {
            timeline.Refused(e);
            throw;
        }
        timeline.Admitted();
        StartKeepAlive();
        try
        {
            _state.Stream = new TokenStream();
            await _driver.StartAttemptAsync();
            while (await WaitForTokensAsync(cancellationToken))
            {
                while (_state.Stream.TryRead(out var token))
                {
                    timeline.Token(_state.Prompt.Length, token.Finish);
                    yield return token;
                }
            }
        }
        finally
        {
            timeline.Finished(cancelled: cancellationToken.IsCancellationRequested);
            if (!_state.Finished) LogStopped(logger, _state.Id, _state.Outputs.Count);
            _state.Finish();
            _keepAlive?.Dispose();
            await _pages.FreeEverywhereAsync();
            _admission.Leave();
        }
    }

    public Task OnStageOutcomeAsync(StageOutcome outcome)
    {
        if (outcome.From is { } lastStage) stageMetrics.RecordHop(lastStage, outcome.SentAtTicks);
        return _driver.OnOutcomeAsync(outcome);
    }

    public Task GiveWayAsync(int epoch)
    {
        _admission.RequestGiveWay(epoch);
        return Task.CompletedTask;
    }

    public Task<SequenceStatus> GetStatusAsync() =>
        Task.FromResult(new SequenceStatus(local.SiloAddress.ToParsableString(), _pages.Tables, _state.Prompt, [.. _state.Outputs], _state.Finished) { Recoveries = _recovery.Count, Preemptions = _admission.Preemptions });

    /// <summary>
    /// Waits for the next token, checking for a lost step every <see cref="ClusterSiloOptions.StallCheckSeconds"/>
    /// without a report, and giving way first when a stage that ran out of pages asked it to:
    /// preempted, it is readmitted later and replays its history, so the stream goes on with the next token.
    /// </summary>
    private async Task<bool> WaitForTokensAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_admission.GiveWayRequested && !_state.Finished)
            {
                await _admission.GiveWayAsync(cancellationToken);
                await _driver.StartAttemptAsync();
            }
            if (await _state.Stream!.WaitAsync(TimeSpan.FromSeconds(model.Options.StallCheckSeconds), cancellationToken) is { } more) return more;
            if (!_admission.GiveWayRequested) await _recovery.CheckStalledAsync(cancellationToken);
        }
    }

    /// <summary>Renews the pages' lease on every stage between steps (a long prefill elsewhere, a slow caller).</summary>
    private void StartKeepAlive()
    {
        if (_keepAlive is not null) return;
        var period = TimeSpan.FromSeconds(Math.Max(0.2, model.Options.PageLeaseSeconds / 4));
        _keepAlive = this.RegisterGrainTimer(_ =>
        {
            _pages.RenewLeases();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(period, period) { Interleave = true });
    }
}
