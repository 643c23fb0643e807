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
/// pass. The grain is the shell that owns the Orleans lifecycle and wires the roles: the math is
/// the executor's, a step's path through it the <see cref="StageStepRunner"/>'s, the pages and
/// their leases <see cref="StagePageLeases"/>', what a replay can reuse <see cref="StageHistory"/>'s,
/// sending on <see cref="ActivationForwarder"/>'s, the last stage's sampling state
/// <see cref="StageSampling"/>'s.
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
    private readonly StageSampling _sampling = new();
    private StageKey _key;
    private StagePlacement _placement = null!;
    private int _stageCount;
    private StageExecutor _executor = null!;
    private SequencePages _pages = null!;
    private StageHistory _history = null!;
    private StagePageLeases _leases = null!;
    private ActivationForwarder? _forwarder;
    private StageStepRunner _steps = null!;
    private StageWireCounters _wire = null!;
    private StageLabels _labels = null!;
    private IGrainTimer? _leaseTimer;
    private IDisposable? _tracking;
    private IDisposable? _draining;

    private bool IsLast => _forwarder is null;

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
        _labels = new StageLabels(_key.Model, _key.Replica, _key.Stage, $"{_placement.Layers.Start}-{_placement.Layers.End - 1}", model.Options.Device);
        bool last = _key.Stage + 1 == stages.Count;
        _pages = new SequencePages(new PagePool(_executor.PageCount, _executor.PageSize));
        _history = new StageHistory(last ? 0 : (long)model.Options.ActivationLogMb << 20);
        _leases = new StagePageLeases(_pages, TimeSpan.FromSeconds(model.Options.PageLeaseSeconds), model.Options.KvCacheWatermark, _history, _sampling, time,
            SplitIntoGroups, held => metrics.RecordSequencePages(_labels, held));
        if (!last)
            _forwarder = new ActivationForwarder(_key.Stage, GrainFactory.GetGrain<IStageGrain>((_key with { Stage = _key.Stage + 1 }).ToString()), _history, _labels, time);
        _steps = new StageStepRunner(_key, _placement, _stageCount, _executor, _leases, _sampling, _history, _forwarder, _labels, GrainFactory, time, logger);
        _wire = new StageWireCounters(serializer, model.Options.MeasureWireBytes);
        _tracking = metrics.Track(_labels, _executor, _pages.Snapshot, () => _history.LogBytes);
        _draining = drain.Track(_pages);
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

    public Task<PageReservation> ReservePagesAsync(string sequenceId, int totalTokens, int epoch = 0) =>
        Task.FromResult(_leases.Reserve(sequenceId, totalTokens, epoch));

    public Task FreePagesAsync(string sequenceId)
    {
        _leases.Free(sequenceId);
        return Task.CompletedTask;
    }

    public Task RenewLeaseAsync(string sequenceId)
    {
        _leases.RenewKnown(sequenceId);
        return Task.CompletedTask;
    }

    public Task RegisterSamplingAsync(string sequenceId, SamplingSettings sampling, int[] promptTokenIds, int[] outputTokenIds, long seed)
    {
        if (!IsLast) throw new InvalidOperationException($"stage {_key} is not the last stage; sampling is registered on the last one");
        _sampling.Register(sequenceId, sampling, promptTokenIds, outputTokenIds, seed);
        return Task.CompletedTask;
    }

    public Task SubmitAsync(StageMessage message)
    {
        _wire.Count(message);
        if (message.From is { } sender) metrics.RecordHop(sender, message.SentAtTicks);
        return _steps.RunAsync(message);
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
        MessagesIn = _wire.MessagesIn,
        WireBytesIn = _wire.WireBytesIn,
        LargestDecodeMessageBytes = _wire.LargestDecodeBytes,
        SmallestDecodeMessageBytes = _wire.SmallestDecodeBytes,
        HiddenSize = _executor.Config.HiddenSize,
        LeaseExpiries = _leases.Expiries,
        RowsComputed = _steps.RowsComputed,
        RowsResent = _forwarder?.RowsResent ?? 0,
        ActivationLogBytes = _history.LogBytes,
        Live = metrics.Live(_labels, IsLast),
        ProcessWorkingSetBytes = Environment.WorkingSet,
        ManagedHeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
    });

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
        foreach (var sequenceId in _leases.ExpireSilent())
            LogLeaseExpired(logger, _key.ToString(), sequenceId, _leases.Lease.TotalSeconds);
        return Task.CompletedTask;
    }
}
