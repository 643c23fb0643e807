using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Placement;
using Cluster.Grains.Stages;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// One request: waits its turn in the replica's admission queue, reserves its pages on every
/// stage, sends its history (the prompt, plus any tokens a lost sequence already delivered) to
/// stage 0 as prefill chunks (the next only after the last stage reports the previous done), then
/// one decode step per sampled token, and streams the tokens from a channel the last stage's
/// one-way reports feed. When a stage's silo dies (or a step goes unanswered) it waits for the
/// stage to be placed again, re-reserves, and replays its history as a prefill under a new
/// attempt number; the caller sees no gap and no repeat, since only this grain writes the stream.
/// Frees every page on every stage when it finishes, is cancelled, or is deactivated.
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
    private readonly List<int> _outputs = [];
    private SequenceKey _key;
    private IStageGrain[] _stages = [];
    private string[] _stageSilos = [];
    private int[][] _pageTables = [];
    private int[] _heldTokens = [];
    private int[] _loggedTokens = [];
    private int[]? _computeFrom;
    private int[] _prompt = [];
    private int[] _history = [];
    private SamplingSettings _sampling = SamplingSettings.Greedy;
    private HashSet<int> _stopIds = [];
    private int _maxTokens;
    private long _seed;
    private int _prefilled;
    private int _epoch;
    private int _recoveries;
    private DateTime _lastProgress;
    private Channel<GeneratedToken>? _channel;
    private IGrainTimer? _keepAlive;
    private SequenceTimeline? _timeline;
    private bool _started;
    private bool _admitted;
    private bool _finished;

    private string Id => _key.ToString();

    /// <summary>Positions that get K/V: the last sampled token is streamed but never computed.</summary>
    private int ReservedTokens => _prompt.Length + _maxTokens - 1;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = SequenceKey.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => await FreeEverywhereAsync();

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_started) throw new InvalidOperationException($"sequence {Id} has already run; ask the router for a new one");
        _started = true;
        Validate(request);
        _prompt = request.PromptTokenIds;
        _sampling = request.Sampling;
        _outputs.AddRange(request.ResumeFrom);
        _maxTokens = Math.Min(request.Sampling.MaxTokens, model.Config.MaxPositionEmbeddings - _prompt.Length);
        _seed = request.Sampling.ToEngine().ResolveSeed(); // drawn once and kept: a replay draws the same tokens
        _stopIds = [.. request.Sampling.StopTokenIds, .. request.Sampling.IgnoreEos ? [] : model.Config.EosTokenIds];
        if (_outputs.Count >= _maxTokens || (_outputs.Count > 0 && _stopIds.Contains(_outputs[^1])))
        {
            _finished = true;
            yield break; // a resumed request that had in fact already finished
        }
        UsePlan(await plans.WaitAsync(_key.Model, cancellationToken));

        _timeline = new SequenceTimeline(metrics, time, _key.Model, _key.Replica);
        _timeline.Waiting();
        try
        {
            await AdmitAsync(priority: false, cancellationToken);
        }
        catch (Exception e)
        {
            _timeline.Refused(e);
            throw;
        }
        _timeline.Admitted();
        try
        {
            _channel = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            await StartAttemptAsync();
            while (await WaitForTokensAsync(cancellationToken))
            {
                while (_channel.Reader.TryRead(out var token))
                {
                    _timeline.Token(_prompt.Length, token.Finish);
                    yield return token;
                }
            }
        }
        finally
        {
            _timeline.Finished(cancelled: cancellationToken.IsCancellationRequested);
            if (!_finished) LogStopped(logger, Id, _outputs.Count);
            _finished = true;
            _keepAlive?.Dispose();
            await FreeEverywhereAsync();
            if (_admitted) admission.Finished();
        }
    }

    public async Task OnStageOutcomeAsync(StageOutcome outcome)
    {
        if (outcome.From is { } lastStage) stageMetrics.RecordHop(lastStage, outcome.SentAtTicks);
        if (_finished || _channel is null || outcome.Epoch != _epoch) return; // a report of an attempt a replay replaced
        _lastProgress = DateTime.UtcNow;
        if (outcome.Error is { } error)
        {
            Finish(new InvalidOperationException($"sequence {Id}: {error}"));
            return;
        }
        if (outcome.TokenId is not { } token)
        {
            await SendNextChunkAsync(); // a prefill chunk before the last is done
            return;
        }

        _outputs.Add(token);
        FinishReason? finish = _stopIds.Contains(token) ? FinishReason.Stop : _outputs.Count >= _maxTokens ? FinishReason.Length : null;
        _channel.Writer.TryWrite(new GeneratedToken(token, outcome.Logprob, _outputs.Count - 1, finish) { TopTokenIds = outcome.TopTokenIds, TopLogprobs = outcome.TopLogprobs });
        if (finish is not null)
        {
            Finish(null);
            // The last token needs no K/V: free now, not when the caller gets round to reading it.
            await FreeEverywhereAsync();
            return;
        }
        await SubmitAsync(new StageMessage
        {
            SequenceId = Id,
            CachedTokens = _prompt.Length + _outputs.Count - 1,
            TokenCount = 1,
            TokenIds = [token],
            Sample = true,
            StageCount = _stages.Length,
            Epoch = _epoch,
        });
    }

    public Task<SequenceStatus> GetStatusAsync() =>
        Task.FromResult(new SequenceStatus(local.SiloAddress.ToParsableString(), _pageTables, _prompt, [.. _outputs], _finished) { Recoveries = _recoveries });

    /// <summary>
    /// Waits for the next token. Steps travel as one-way messages, so a step lost with a silo is
    /// noticed here: every <see cref="ClusterSiloOptions.StallCheckSeconds"/> without a report the
    /// stages' silos are checked against membership, and a gone silo (or a step older than the step
    /// timeout) starts a replay.
    /// </summary>
    private async Task<bool> WaitForTokensAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stall.CancelAfter(TimeSpan.FromSeconds(model.Options.StallCheckSeconds));
                try
                {
                    return await _channel!.Reader.WaitToReadAsync(stall.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                }
            }
            if (liveness.FirstGone(_stageSilos) is { } gone)
                await RecoverAsync($"silo {gone} of stage {Array.IndexOf(_stageSilos, gone)} is gone", cancellationToken);
            else if (DateTime.UtcNow - _lastProgress > TimeSpan.FromSeconds(model.Options.StepTimeoutSeconds))
                await RecoverAsync($"no answer from the pipeline for {model.Options.StepTimeoutSeconds} s", cancellationToken);
        }
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
        if (_recoveries >= model.Options.MaxRecoveries)
        {
            throw new TimeoutException($"sequence {Id}: {reason}; gave up after {_recoveries} replays " +
                $"({_outputs.Count} tokens generated, {_prefilled} of {_history.Length} history tokens sent in the last attempt)");
        }
        _recoveries++;
        _epoch++; // from here on, reports and steps of the replaced attempt are ignored
        var started = DateTime.UtcNow;
        LogRecovering(logger, Id, reason, _recoveries, _outputs.Count);
        var deadline = started + TimeSpan.FromSeconds(model.Options.PlanTimeoutSeconds);
        while (true)
        {
            try
            {
                await WaitForLivePlanAsync(deadline, cancellationToken);
                await ReserveEverywhereAsync(DateTime.UtcNow + TimeSpan.FromSeconds(model.Options.AdmissionTimeoutSeconds), cancellationToken);
                await StartAttemptAsync();
                break;
            }
            catch (ClusterOverloadedException)
            {
                // The stages placed again filled up with new sequences meanwhile: give way (free
                // everything, to be recomputed) and queue again ahead of the bound, as accepted work.
                await PreemptAsync(cancellationToken);
                await StartAttemptAsync();
                break;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && DateTime.UtcNow < deadline)
            {
                LogRecoveryRetry(logger, Id, e.Message);
                await Task.Delay(250, cancellationToken);
            }
        }
        LogRecovered(logger, Id, (DateTime.UtcNow - started).TotalMilliseconds, _history.Length, string.Join(' ', _computeFrom ?? new int[_stages.Length]));
    }

    private async Task PreemptAsync(CancellationToken cancellationToken)
    {
        admission.CountPreemption();
        metrics.Preempted(_key.Model, _key.Replica);
        LogPreempted(logger, Id, _outputs.Count);
        await FreeEverywhereAsync();
        await AdmitAsync(priority: true, cancellationToken);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is not ArgumentException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>Waits until the plan is whole again with every stage on a live silo (the same stage count: keys stay valid).</summary>
    private async Task WaitForLivePlanAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var plan = plans.Current(_key.Model);
            if (plan.IsComplete)
            {
                var stages = plan.Stages(_key.Replica);
                if (stages.Count != _stages.Length)
                {
                    throw new InvalidOperationException($"sequence {Id}: the pipeline now has {stages.Count} stages instead of {_stages.Length} " +
                        "(adjacent silos died with one spare); a replay needs the same stage split");
                }
                if (liveness.FirstGone(stages.Select(s => s.Silo)) is null)
                {
                    UsePlan(plan);
                    return;
                }
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"sequence {Id}: no whole pipeline on live silos after {model.Options.PlanTimeoutSeconds} s: {plan}");
            await Task.Delay(100, cancellationToken);
        }
    }

    private void UsePlan(PipelinePlan plan)
    {
        var stages = plan.Stages(_key.Replica);
        _stages = stages.Select(s => GrainFactory.GetGrain<IStageGrain>(new StageKey(_key.Model, _key.Replica, s.Stage).ToString())).ToArray();
        _stageSilos = stages.Select(s => s.Silo).ToArray();
    }

    /// <summary>
    /// Sends the history under the current attempt: the prompt, or prompt + tokens already streamed,
    /// from the first position some stage lacks (what the reservations said each stage holds).
    /// </summary>
    private async Task StartAttemptAsync()
    {
        _history = [.. _prompt, .. _outputs];
        var from = ReplayPlan.ComputeFrom(_history.Length, _heldTokens, _loggedTokens);
        _computeFrom = from.Any(f => f > 0) ? from : null;
        _prefilled = from.Min();
        _lastProgress = DateTime.UtcNow;
        await _stages[^1].RegisterSamplingAsync(Id, _sampling, _prompt, [.. _outputs], _seed);
        await SendNextChunkAsync();
    }

    private void Validate(GenerateRequest request)
    {
        var config = model.Config;
        if (request.PromptTokenIds.Length == 0) throw new ArgumentException("the prompt is empty");
        foreach (int id in request.PromptTokenIds.Concat(request.ResumeFrom))
            if (id < 0 || id >= config.VocabSize) throw new ArgumentException($"token {id} is outside the vocabulary of {config.VocabSize}");
        if (request.PromptTokenIds.Length >= config.MaxPositionEmbeddings)
            throw new ArgumentException($"the prompt's {request.PromptTokenIds.Length} tokens leave no room in the context window of {config.MaxPositionEmbeddings}");
        if (request.Sampling.Problem() is { } problem) throw new ArgumentException(problem);
    }

    private async Task SendNextChunkAsync()
    {
        int start = _prefilled, count = Math.Min(model.Options.PrefillChunkTokens, _history.Length - start);
        if (count <= 0) return;
        _prefilled += count;
        await SubmitAsync(new StageMessage
        {
            SequenceId = Id,
            CachedTokens = start,
            TokenCount = count,
            TokenIds = _history[start..(start + count)],
            Sample = _prefilled == _history.Length,
            StageCount = _stages.Length,
            Epoch = _epoch,
            ComputeFrom = _computeFrom,
        });
    }

    /// <summary>One-way to stage 0; a send that fails (its silo just died) is left to the stall check, which replays.</summary>
    private async Task SubmitAsync(StageMessage message)
    {
        try
        {
            await _stages[0].SubmitAsync(message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSendFailed(logger, Id, e.Message);
        }
    }

    /// <summary>Waits its turn in the replica's queue (refused at once when the queue is full), then reserves everywhere.</summary>
    private async Task AdmitAsync(bool priority, CancellationToken cancellationToken)
    {
        using (await admission.EnterAsync(_key.Model, _key.Replica, priority, cancellationToken))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(model.Options.AdmissionTimeoutSeconds);
            while (true)
            {
                try
                {
                    await ReserveEverywhereAsync(deadline, cancellationToken);
                    break;
                }
                catch (Exception e) when (e is not ClusterOverloadedException && IsTransient(e, cancellationToken) && DateTime.UtcNow < deadline)
                {
                    // A stage's silo went while we reserved: wait for the plan to be whole on live silos again.
                    LogRecoveryRetry(logger, Id, e.Message);
                    await Task.Delay(250, cancellationToken);
                    await WaitForLivePlanAsync(deadline, cancellationToken);
                }
            }
        }
        if (!_admitted) admission.Admitted();
        _admitted = true;
        StartKeepAlive();
    }

    /// <summary>
    /// Reserves on every stage, waiting (bounded) while any stage is short of pages. A stage that
    /// already holds the sequence's pages keeps them (a replay) and just learns the new attempt.
    /// </summary>
    private async Task ReserveEverywhereAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        int tokens = ReservedTokens;
        if (_pageTables.Length != _stages.Length) _pageTables = new int[_stages.Length][];
        _heldTokens = new int[_stages.Length];
        _loggedTokens = new int[_stages.Length];
        for (int s = 0; s < _stages.Length; s++)
        {
            while (true)
            {
                var reservation = await _stages[s].ReservePagesAsync(Id, tokens, _epoch);
                if (reservation.Granted)
                {
                    _pageTables[s] = reservation.PageIds;
                    _heldTokens[s] = reservation.ComputedTokens;
                    _loggedTokens[s] = reservation.LoggedTokens;
                    break;
                }
                int needed = (tokens + reservation.PageSize - 1) / reservation.PageSize;
                if (needed > reservation.PageCount)
                {
                    await FreeEverywhereAsync();
                    throw new ArgumentException(
                        $"the request needs {needed} KV pages ({tokens} tokens) on stage {s} of {_key.Model} replica {_key.Replica}, " +
                        $"which has {reservation.PageCount} pages in all; shorten the prompt or max_tokens");
                }
                if (DateTime.UtcNow >= deadline)
                {
                    await FreeEverywhereAsync();
                    throw new ClusterOverloadedException(
                        $"no KV pages for {tokens} tokens on stage {s} of {_key.Model} replica {_key.Replica} " +
                        $"({reservation.FreePages} of {reservation.PageCount} pages free) after waiting {model.Options.AdmissionTimeoutSeconds} s",
                        TimeSpan.FromSeconds(Math.Max(1, model.Options.AdmissionTimeoutSeconds / 10)));
                }
                await Task.Delay(20, cancellationToken);
            }
        }
    }

    /// <summary>Renews the pages' lease on every stage between steps (a long prefill elsewhere, a slow caller).</summary>
    private void StartKeepAlive()
    {
        if (_keepAlive is not null) return;
        var period = TimeSpan.FromSeconds(Math.Max(0.2, model.Options.PageLeaseSeconds / 4));
        _keepAlive = this.RegisterGrainTimer(RenewLeasesAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
    }

    private Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        // Each stage on its own: a send to a stage being placed again waits for its placement, and
        // must not hold up the renewals of the stages that kept their pages.
        var held = _pageTables;
        for (int s = 0; s < held.Length && !_finished; s++)
            if (held[s] is not null) _ = RenewAsync(_stages[s]);
        return Task.CompletedTask;
    }

    private async Task RenewAsync(IStageGrain stage)
    {
        try
        {
            await stage.RenewLeaseAsync(Id);
        }
        catch (Exception e)
        {
            LogSendFailed(logger, Id, e.Message); // a gone stage: the replay re-reserves there
        }
    }

    /// <summary>Frees on every stage that holds pages; a stage that cannot be reached frees them when their lease runs out.</summary>
    private async Task FreeEverywhereAsync()
    {
        var held = _pageTables;
        _pageTables = [];
        var frees = new List<Task>();
        for (int s = 0; s < held.Length; s++)
            if (held[s] is not null) frees.Add(FreeAsync(_stages[s]));
        await Task.WhenAll(frees);
    }

    private async Task FreeAsync(IStageGrain stage)
    {
        try
        {
            await stage.FreePagesAsync(Id);
        }
        catch (Exception e)
        {
            LogFreeFailed(logger, Id, e.Message);
        }
    }

    private void Finish(Exception? error)
    {
        _finished = true;
        _channel?.Writer.TryComplete(error);
    }
}
