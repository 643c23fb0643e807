using Cluster.Engine.Execution;
using Cluster.Engine.Paging;
using Cluster.Grains.Hosting;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Placement;
using Cluster.Grains.Sequences;
using Cluster.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;

namespace Cluster.Grains.Stages;

/// <summary>
/// A pipeline stage: loads its own layers on activation, owns the page pool of its device's K/V
/// cache, and hands every arriving step to the executor, which batches whatever is queued into one
/// pass. The grain stays thin: the math is the executor's, the bookkeeping the page pool's.
/// </summary>
[PipelineStagePlacement]
// Stage weights and K/V pages are bound to this silo's device: neither the activation rebalancer
// nor the repartitioner may move the grain (a moved stage would lose every sequence's pages).
[Immovable]
// Idle collection would drop the pages of sequences that are merely between steps.
[CollectionAgeLimit(AlwaysActive = true)]
// Reentrant on purpose: SubmitAsync awaits the executor's pass. Were calls serialized, each step
// would wait for the previous one's pass and every batch would hold one sequence. Interleaving lets
// every arriving step queue while a pass runs, so the executor batches them (continuous batching).
// State is touched only on the activation's thread and never across an await.
[Reentrant]
public sealed partial class StageGrain(SiloModel model, PipelinePlanView plans, Serializer<StageMessage> serializer, StageMetrics metrics, TimeProvider time, ILogger<StageGrain> logger)
    : Grain, IStageGrain
{
    private readonly Dictionary<string, SamplingState> _sampling = [];
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly HashSet<string> _freeWhenIdle = [];
    private StageKey _key;
    private StagePlacement _placement = null!;
    private StageExecutor _executor = null!;
    private SequencePages _pages = null!;
    private IStageGrain? _next;
    private StageLabels _labels = null!;
    private IDisposable? _tracking;
    private int _stageCount;
    private long _messagesIn;
    private long _wireBytesIn;
    private int _largestDecodeBytes;
    private int _smallestDecodeBytes = int.MaxValue;

    private bool IsLast => _next is null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = StageKey.Parse(this.GetPrimaryKeyString());
        var plan = await plans.WaitAsync(_key.Model, cancellationToken);
        var stages = plan.Stages(_key.Replica);
        if (_key.Stage >= stages.Count)
            throw new InvalidOperationException($"stage {_key} does not exist: the pipeline has {stages.Count} stages");
        _placement = stages[_key.Stage];
        _stageCount = stages.Count;
        _executor = await model.StartStageAsync(_placement.Layers, cancellationToken);
        _pages = new SequencePages(new PagePool(_executor.PageCount, _executor.PageSize));
        if (_key.Stage + 1 < stages.Count)
            _next = GrainFactory.GetGrain<IStageGrain>((_key with { Stage = _key.Stage + 1 }).ToString());
        _labels = new StageLabels(_key.Model, _key.Replica, _key.Stage, $"{_placement.Layers.Start}-{_placement.Layers.End - 1}", model.Options.Device);
        _tracking = metrics.Track(_labels, _executor, _pages.Snapshot);
        LogActivated(logger, _key.ToString(), _placement.Layers.ToString(), _executor.PageCount, _executor.PageSize, model.Options.Device);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _tracking?.Dispose();
        _executor?.Dispose();
        return Task.CompletedTask;
    }

    public Task<PageReservation> ReservePagesAsync(string sequenceId, int totalTokens)
    {
        bool granted = _pages.TryReserve(sequenceId, totalTokens);
        var pages = granted ? _pages.GetTable(sequenceId).ToArray() : [];
        return Task.FromResult(new PageReservation(granted, pages, _pages.FreePages, _executor.PageCount, _executor.PageSize));
    }

    public Task FreePagesAsync(string sequenceId)
    {
        // A step of the sequence may still be in the executor: its pass writes K/V into these
        // pages, so they go back to the pool only after it (or another sequence's K/V would be hit).
        if (_inFlight.ContainsKey(sequenceId)) _freeWhenIdle.Add(sequenceId);
        else Release(sequenceId);
        return Task.CompletedTask;
    }

    public Task RegisterSamplingAsync(string sequenceId, SamplingSettings sampling, int[] promptTokenIds, long seed)
    {
        if (!IsLast) throw new InvalidOperationException($"stage {_key} is not the last stage; sampling is registered on the last one");
        _sampling[sequenceId] = new SamplingState(sampling, promptTokenIds, seed);
        return Task.CompletedTask;
    }

    public async Task SubmitAsync(StageMessage message)
    {
        Count(message);
        if (message.From is { } sender) metrics.RecordHop(sender, message.SentAtTicks);
        using var span = ServingTelemetry.Activities.StartActivity("stage.step");
        span?.SetTag("cluster.stage", _key.ToString());
        span?.SetTag("cluster.sequence", message.SequenceId);
        span?.SetTag("cluster.tokens", message.TokenCount);
        if (message.StageCount != _stageCount)
        {
            // The plan changed since this stage was activated (an automatic plan that a late silo
            // re-split): running the step would silently compute the wrong layers.
            await FailAsync(message, $"stage {_key} serves layers {_placement.Layers} of a {_stageCount}-stage plan, but the sequence runs on a {message.StageCount}-stage plan");
            return;
        }
        if (IsLast && message.Sample && !_sampling.ContainsKey(message.SequenceId))
        {
            await FailAsync(message, $"stage {_key} has no sampling settings for the sequence (RegisterSamplingAsync was not called here)");
            return;
        }
        if (_freeWhenIdle.Contains(message.SequenceId) || !_pages.TryGetTable(message.SequenceId, out var table))
        {
            LogDropped(logger, _key.ToString(), message.SequenceId);
            return;
        }
        var work = new StageWork
        {
            SequenceId = message.SequenceId,
            CachedTokens = message.CachedTokens,
            TokenCount = message.TokenCount,
            PageIds = table.ToArray(),
            TokenIds = message.TokenIds,
            Hidden = message.Hidden,
            Output = IsLast && message.Sample && _sampling.TryGetValue(message.SequenceId, out var sampling)
                ? OutputRequest.Sample(sampling.Params, sampling.Context())
                : OutputRequest.None,
        };

        StageResult result;
        _inFlight[message.SequenceId] = _inFlight.GetValueOrDefault(message.SequenceId) + 1;
        try
        {
            result = await _executor.SubmitAsync(work);
        }
        catch (Exception e)
        {
            LogStepFailed(logger, e, _key.ToString(), message.SequenceId);
            await FailAsync(message, $"stage {_key} failed a step: {e.Message}");
            return;
        }
        finally
        {
            StepDone(message.SequenceId);
        }

        if (!_pages.TryGetTable(message.SequenceId, out _)) return; // freed meanwhile: nobody waits for it
        if (_next is { } next)
        {
            await next.SubmitAsync(message with { TokenIds = null, Hidden = result.Hidden, SentAtTicks = time.GetUtcNow().UtcTicks, From = _labels });
            return;
        }
        if (result.Token is { } token) _sampling[message.SequenceId].Append(token.TokenId);
        await Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
        {
            SequenceId = message.SequenceId,
            ComputedTokens = message.CachedTokens + message.TokenCount,
            TokenId = result.Token?.TokenId,
            Logprob = result.Token?.Logprob ?? 0,
            TopTokenIds = result.Token?.TopLogprobs.Select(t => t.TokenId).ToArray() ?? [],
            TopLogprobs = result.Token?.TopLogprobs.Select(t => t.Logprob).ToArray() ?? [],
            SentAtTicks = time.GetUtcNow().UtcTicks,
            From = _labels,
        });
    }

    public Task<StageStatus> GetStatusAsync() => Task.FromResult(new StageStatus
    {
        Key = _key.ToString(),
        Silo = _placement.Silo,
        FirstLayer = _placement.Layers.Start,
        EndLayer = _placement.Layers.End,
        PageCount = _executor.PageCount,
        FreePages = _pages.FreePages,
        Sequences = _pages.SequenceCount,
        QueueDepth = _executor.QueueDepth,
        Batches = _executor.Statistics.Batches,
        SequenceSteps = _executor.Statistics.Sequences,
        LargestBatch = _executor.Statistics.LargestBatch,
        MessagesIn = _messagesIn,
        WireBytesIn = _wireBytesIn,
        LargestDecodeMessageBytes = _largestDecodeBytes,
        SmallestDecodeMessageBytes = _smallestDecodeBytes == int.MaxValue ? 0 : _smallestDecodeBytes,
        HiddenSize = _executor.Config.HiddenSize,
    });

    private Task FailAsync(StageMessage message, string error) => Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
    {
        SequenceId = message.SequenceId,
        ComputedTokens = message.CachedTokens,
        Error = error,
    });

    private ISequenceGrain Sequence(string sequenceId) => GrainFactory.GetGrain<ISequenceGrain>(sequenceId);

    private void Count(StageMessage message)
    {
        _messagesIn++;
        if (!model.Options.MeasureWireBytes) return;
        int bytes = serializer.SerializeToArray(message).Length;
        _wireBytesIn += bytes;
        if (message.TokenCount == 1 && message.CachedTokens > 0)
        {
            _largestDecodeBytes = Math.Max(_largestDecodeBytes, bytes);
            _smallestDecodeBytes = Math.Min(_smallestDecodeBytes, bytes);
        }
    }

    private void StepDone(string sequenceId)
    {
        int left = _inFlight[sequenceId] - 1;
        if (left > 0)
        {
            _inFlight[sequenceId] = left;
            return;
        }
        _inFlight.Remove(sequenceId);
        if (_freeWhenIdle.Remove(sequenceId)) Release(sequenceId);
    }

    private void Release(string sequenceId)
    {
        _pages.Free(sequenceId);
        _sampling.Remove(sequenceId);
    }
}
