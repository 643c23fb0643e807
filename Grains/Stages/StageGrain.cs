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
public sealed partial class StageGrain(SiloModel model, PipelinePlanView plans, Serializer<StageMessage> serializer, StageMetrics metrics, TimeProvider time, SiloDrain drain, ILogger<StageGrain> logger)
    : Grain, IStageGrain
{
    private readonly Dictionary<string, SamplingState> _sampling = [];
    private readonly Dictionary<string, int> _inFlight = [];
    private readonly HashSet<string> _freeWhenIdle = [];
    private readonly Dictionary<string, int> _epochs = [];
    private LeaseTable _leases = null!;
    private StageHistory _history = null!;
    private IGrainTimer? _leaseTimer;
    private long _leaseExpiries;
    private StageKey _key;
    private StagePlacement _placement = null!;
    private StageExecutor _executor = null!;
    private SequencePages _pages = null!;
    private IStageGrain? _next;
    private StageLabels _labels = null!;
    private IDisposable? _tracking;
    private IDisposable? _draining;
    private int _stageCount;
    private long _messagesIn;
    private long _wireBytesIn;
    private int _largestDecodeBytes;
    private int _smallestDecodeBytes = int.MaxValue;
    private long _rowsComputed;
    private long _rowsResent;

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
        _tracking = metrics.Track(_labels, _executor, _pages.Snapshot, () => _history.LogBytes);
        _draining = drain.Track(_pages);
        _leases = new LeaseTable(TimeSpan.FromSeconds(model.Options.PageLeaseSeconds));
        _history = new StageHistory(IsLast ? 0 : (long)model.Options.ActivationLogMb << 20);
        var sweep = TimeSpan.FromSeconds(Math.Clamp(model.Options.PageLeaseSeconds / 4, 0.5, 15));
        // Interleaved like every call here (the grain is reentrant); the sweep touches state only between awaits.
        _leaseTimer = this.RegisterGrainTimer(ExpireLeasesAsync, new GrainTimerCreationOptions(sweep, sweep) { Interleave = true });
        var kv = _executor.KvCache;
        LogActivated(logger, _key.ToString(), _placement.Layers.ToString(), _executor.WeightBytes >> 20, WeightMemory, model.Options.Device,
            kv.CapacityTokens, kv.Pages, kv.PageSize, kv.Bytes >> 20, kv.Source, kv.ContextTokens, kv.MaxConcurrency);
    }

    /// <summary>Where the weights live, for the activation log: whether the CPU's 2 MiB pages were granted is worth seeing.</summary>
    private string WeightMemory => _executor.WeightsInHugePages ? "2 MiB pages" : _executor.Device.StartsWith("cpu", StringComparison.Ordinal) ? "4 KiB pages" : "device memory";

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _leaseTimer?.Dispose();
        _draining?.Dispose();
        _tracking?.Dispose();
        _executor?.Dispose();
        return Task.CompletedTask;
    }

    public Task<PageReservation> ReservePagesAsync(string sequenceId, int totalTokens, int epoch = 0)
    {
        // Freed while a step still ran, and reserved again before it ended (a preempted sequence
        // back in its turn): keep the pages, but count nothing in them as computed.
        if (_freeWhenIdle.Remove(sequenceId)) _history.Forget(sequenceId);
        bool granted = _pages.TryReserve(sequenceId, totalTokens);
        if (granted)
        {
            SplitIntoGroups();
            _epochs[sequenceId] = Math.Max(epoch, _epochs.GetValueOrDefault(sequenceId));
            _leases.Renew(sequenceId, time.GetUtcNow());
        }
        var pages = granted ? _pages.GetTable(sequenceId).ToArray() : [];
        return Task.FromResult(new PageReservation(granted, pages, _pages.FreePages, _executor.PageCount, _executor.PageSize)
        {
            ComputedTokens = granted ? _history.Computed(sequenceId) : 0,
            LoggedTokens = granted ? _history.Logged(sequenceId) : 0,
        });
    }

    public Task FreePagesAsync(string sequenceId)
    {
        // A step of the sequence may still be in the executor: its pass writes K/V into these
        // pages, so they go back to the pool only after it (or another sequence's K/V would be hit).
        if (_inFlight.ContainsKey(sequenceId)) _freeWhenIdle.Add(sequenceId);
        else Release(sequenceId);
        return Task.CompletedTask;
    }

    public Task RenewLeaseAsync(string sequenceId)
    {
        _leases.RenewKnown(sequenceId, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task RegisterSamplingAsync(string sequenceId, SamplingSettings sampling, int[] promptTokenIds, int[] outputTokenIds, long seed)
    {
        if (!IsLast) throw new InvalidOperationException($"stage {_key} is not the last stage; sampling is registered on the last one");
        _sampling[sequenceId] = new SamplingState(sampling, promptTokenIds, outputTokenIds, seed);
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
        if (message.ComputeFrom is { } plan && plan.Length != _stageCount)
        {
            await FailAsync(message, $"stage {_key}: the replay plan names {plan.Length} stages, the pipeline has {_stageCount}");
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
        if (message.Epoch < _epochs.GetValueOrDefault(message.SequenceId))
        {
            // Sent before the sequence started a replay: its K/V would land on the replay's.
            LogStale(logger, _key.ToString(), message.SequenceId, message.Epoch);
            return;
        }
        _leases.Renew(message.SequenceId, time.GetUtcNow());
        int end = message.CachedTokens + message.TokenCount;
        int first = StartOf(message, _key.Stage); // rows before it: K/V held here already (a replay)
        StageResult? result = null;
        if (first < end)
        {
            var work = new StageWork
            {
                SequenceId = message.SequenceId,
                CachedTokens = first,
                TokenCount = end - first,
                PageIds = table.ToArray(),
                TokenIds = message.TokenIds is { } ids ? ids[(first - message.CachedTokens)..] : null,
                Hidden = message.Hidden,
                Output = IsLast && message.Sample && _sampling.TryGetValue(message.SequenceId, out var sampling)
                    ? OutputRequest.Sample(sampling.Params, sampling.Context())
                    : OutputRequest.None,
            };
            _inFlight[message.SequenceId] = _inFlight.GetValueOrDefault(message.SequenceId) + 1;
            try
            {
                result = await _executor.SubmitAsync(work);
                _rowsComputed += end - first;
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
        }
        else if (IsLast && message.Sample)
        {
            await FailAsync(message, $"stage {_key}: the replay plan skips position {end - 1}, which the last stage must sample from");
            return;
        }

        if (!_pages.TryGetTable(message.SequenceId, out _)) return; // freed meanwhile: nobody waits for it
        if (message.Epoch < _epochs.GetValueOrDefault(message.SequenceId)) return; // a replay began meanwhile
        _history.Record(message.SequenceId, first, end, result?.Hidden);
        if (_next is { } next)
        {
            byte[] hidden;
            try
            {
                hidden = RowsToSend(message, first, result?.Hidden);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
            {
                // The plan asked for rows this stage's activation log does not hold.
                await FailAsync(message, $"stage {_key}: {e.Message}");
                return;
            }
            await next.SubmitAsync(message with { TokenIds = null, Hidden = hidden, SentAtTicks = time.GetUtcNow().UtcTicks, From = _labels });
            return;
        }
        if (result?.Token is { } token) _sampling[message.SequenceId].Append(token.TokenId);
        await Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
        {
            SequenceId = message.SequenceId,
            ComputedTokens = end,
            TokenId = result?.Token?.TokenId,
            Logprob = result?.Token?.Logprob ?? 0,
            TopTokenIds = result?.Token?.TopLogprobs.Select(t => t.TokenId).ToArray() ?? [],
            TopLogprobs = result?.Token?.TopLogprobs.Select(t => t.Logprob).ToArray() ?? [],
            Epoch = message.Epoch,
            SentAtTicks = time.GetUtcNow().UtcTicks,
            From = _labels,
        });
    }

    /// <summary>The first row of the message's chunk that stage <paramref name="stage"/> computes (and receives).</summary>
    private static int StartOf(StageMessage message, int stage) =>
        message.ComputeFrom is { } plan ? Math.Clamp(plan[stage], message.CachedTokens, message.CachedTokens + message.TokenCount) : message.CachedTokens;

    /// <summary>
    /// The rows the next stage computes: from this pass's output, preceded in a replay by rows this
    /// stage did not compute (it held their K/V) but the next stage lost, out of the activation log.
    /// </summary>
    private byte[] RowsToSend(StageMessage message, int computedFrom, byte[]? computed)
    {
        int end = message.CachedTokens + message.TokenCount;
        int sendFrom = StartOf(message, _key.Stage + 1);
        if (sendFrom == computedFrom) return computed ?? [];
        if (sendFrom > computedFrom)
        {
            int rowBytes = computed!.Length / (end - computedFrom);
            return computed[((sendFrom - computedFrom) * rowBytes)..];
        }
        var logged = _history.Read(message.SequenceId, sendFrom, computedFrom);
        _rowsResent += computedFrom - sendFrom;
        return computed is null ? logged : [.. logged, .. computed];
    }

    public Task<StageStatus> GetStatusAsync() => Task.FromResult(new StageStatus
    {
        Key = _key.ToString(),
        Silo = _placement.Silo,
        FirstLayer = _placement.Layers.Start,
        EndLayer = _placement.Layers.End,
        Device = _executor.Device,
        PageCount = _executor.PageCount,
        PageSize = _executor.PageSize,
        KvCacheBytes = _executor.KvCache.Bytes,
        ContextTokens = _executor.KvCache.ContextTokens,
        MaxConcurrency = _executor.KvCache.MaxConcurrency,
        FreePages = _pages.FreePages,
        Sequences = _pages.SequenceCount,
        QueueDepth = _executor.QueueDepth,
        MaxPassSequences = _executor.MaxPassSequences,
        Batches = _executor.Statistics.Batches,
        SequenceSteps = _executor.Statistics.Sequences,
        LargestBatch = _executor.Statistics.LargestBatch,
        MessagesIn = _messagesIn,
        WireBytesIn = _wireBytesIn,
        LargestDecodeMessageBytes = _largestDecodeBytes,
        SmallestDecodeMessageBytes = _smallestDecodeBytes == int.MaxValue ? 0 : _smallestDecodeBytes,
        HiddenSize = _executor.Config.HiddenSize,
        LeaseExpiries = _leaseExpiries,
        RowsComputed = _rowsComputed,
        RowsResent = _rowsResent,
        ActivationLogBytes = _history.LogBytes,
        Live = metrics.Live(_labels, IsLast),
        ProcessWorkingSetBytes = Environment.WorkingSet,
        ManagedHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
    });

    private Task FailAsync(StageMessage message, string error) => Sequence(message.SequenceId).OnStageOutcomeAsync(new StageOutcome
    {
        SequenceId = message.SequenceId,
        ComputedTokens = message.CachedTokens,
        Error = error,
        Epoch = message.Epoch,
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
        SplitIntoGroups();
        _sampling.Remove(sequenceId);
        _epochs.Remove(sequenceId);
        _leases.Forget(sequenceId);
        _history.Forget(sequenceId);
    }

    /// <summary>
    /// Keeps the sequences of a pipeline in as many groups as it has stages, as vLLM runs one
    /// micro-batch per pipeline stage: a pass takes at most a stage's share of the sequences that
    /// hold pages here, so while one group runs on this stage the others run on the rest. In one
    /// group, every stage would wait for the others on each step.
    /// </summary>
    private void SplitIntoGroups()
    {
        int sequences = Math.Max(1, _pages.SequenceCount);
        _executor.MaxPassSequences = _stageCount > 1 ? (sequences + _stageCount - 1) / _stageCount : int.MaxValue;
    }

    /// <summary>Frees the pages of sequences silent for a whole lease (their grain died with its silo).</summary>
    private Task ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        foreach (var sequenceId in _leases.Expired(time.GetUtcNow()))
        {
            if (_inFlight.ContainsKey(sequenceId)) continue; // a step is running: it is not silent
            LogLeaseExpired(logger, _key.ToString(), sequenceId, _leases.Lease.TotalSeconds);
            _leaseExpiries++;
            Release(sequenceId);
        }
        return Task.CompletedTask;
    }
}
