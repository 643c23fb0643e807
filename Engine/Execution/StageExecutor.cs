using System.Diagnostics;
using Cluster.Engine.Attention;
using Cluster.Engine.Model;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Execution;

/// <summary>
/// Runs one stage (layers [a, b) of a model) on one device, on its own thread: TorchSharp's
/// dispose scopes and inference mode are thread-local, and one thread per device keeps
/// forward passes from fighting over it. Work submitted from any thread queues here; each pass
/// takes everything queued up to the token budget (continuous batching: a newly arrived
/// sequence joins the very next pass, prefill chunks and decode steps side by side).
/// </summary>
public sealed class StageExecutor : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<PendingBatch> _queue = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StageExecutorOptions _options;
    private LlamaStageModel? _model;
    private PagedKvCache? _cache;
    private bool _stopping;
    private int _lastPassItems; // work items (sequences) of the last pass; the executor's thread only
    private int _maxPassSequences = int.MaxValue;

    private StageExecutor(ICheckpoint checkpoint, LayerRange range, StageExecutorOptions options)
    {
        _options = options.Validated();
        Range = range.Validated();
        Config = checkpoint.Config;
        _thread = new Thread(() => Loop(checkpoint)) { IsBackground = true, Name = $"stage {range}" };
        _thread.Start();
    }

    /// <summary>Loads the stage's layers and allocates its pages on the executor's thread.</summary>
    public static async Task<StageExecutor> StartAsync(ICheckpoint checkpoint, LayerRange range, StageExecutorOptions options)
    {
        var executor = new StageExecutor(checkpoint, range, options);
        try
        {
            await executor._ready.Task.ConfigureAwait(false);
        }
        catch
        {
            executor.Dispose();
            throw;
        }
        return executor;
    }

    public static StageExecutor Start(ICheckpoint checkpoint, LayerRange range, StageExecutorOptions options) =>
        StartAsync(checkpoint, range, options).GetAwaiter().GetResult();

    public LayerRange Range { get; }

    public Config.ModelConfig Config { get; }

    public int PageSize => _options.PageSize;

    public int PageCount => _cache?.PageCount ?? 0;

    /// <summary>The pages preallocated and what decided their number; set once the stage has started.</summary>
    public KvCacheSize KvCache { get; private set; } = null!;

    public ScalarType Dtype => _options.Dtype;

    public string Device => _options.Device;

    /// <summary>Bytes of weights this stage holds.</summary>
    public long WeightBytes { get; private set; }

    /// <summary>Whether the weights a decode pass streams lie in 2 MiB pages (see <see cref="LlamaStageModel.WeightsInHugePages"/>).</summary>
    public bool WeightsInHugePages { get; private set; }

    /// <summary>Bytes of weights one decode pass reads (see <see cref="LlamaStageModel.DecodeReadBytes"/>).</summary>
    public long DecodeReadBytes { get; private set; }

    public StageStatistics Statistics { get; } = new();

    /// <summary>
    /// Most queued sequences one pass takes (set by whoever knows the pipeline; unbounded by
    /// default). In a pipeline of several stages every stage runs at once only if several groups of
    /// sequences are in flight, each on a different stage: a pass taking every queued sequence
    /// would keep them in one group in step, and each stage would idle while the others work.
    /// </summary>
    public int MaxPassSequences
    {
        get => Volatile.Read(ref _maxPassSequences);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Volatile.Write(ref _maxPassSequences, value);
        }
    }

    /// <summary>Work items waiting for the next pass.</summary>
    public int QueueDepth
    {
        get { lock (_gate) return _queue.Sum(p => p.Work.Count); }
    }

    /// <summary>Queues one sequence's work; it runs in the next pass with whatever else is queued.</summary>
    public async Task<StageResult> SubmitAsync(StageWork work)
    {
        var results = await Enqueue([work], mergeable: true).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Runs exactly this batch as one pass (the single-process chain and tests use it).</summary>
    public Task<IReadOnlyList<StageResult>> RunAsync(IReadOnlyList<StageWork> batch) => Enqueue(batch, mergeable: false);

    public IReadOnlyList<StageResult> Run(IReadOnlyList<StageWork> batch) => RunAsync(batch).GetAwaiter().GetResult();

    private Task<IReadOnlyList<StageResult>> Enqueue(IReadOnlyList<StageWork> work, bool mergeable)
    {
        var pending = new PendingBatch(work, mergeable);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Enqueue(pending);
            Monitor.Pulse(_gate);
        }
        return pending.Completion.Task;
    }

    private void Loop(ICheckpoint checkpoint)
    {
        using var inference = torch.inference_mode();
        StageForward forward;
        try
        {
            var device = torch.device(_options.Device);
            _model = new LlamaStageModel(checkpoint, Range, _options.Dtype, device, _options.HugePages);
            WeightBytes = _model.ParameterBytes;
            DecodeReadBytes = _model.DecodeReadBytes;
            WeightsInHugePages = _model.WeightsInHugePages;
            // Sized after the weights are loaded, so that sizing from memory sees what they left.
            KvCache = KvCacheSize.Decide(_options, PagedKvCache.BytesPerPage(Config, Range.Count, _options.PageSize, _options.Dtype),
                _options.ContextTokens ?? Config.MaxPositionEmbeddings, () => AvailableBytes(device));
            _cache = new PagedKvCache(Config, Range.Count, _options.PageSize, KvCache.Pages, _options.Dtype, device, _options.HugePages);
            forward = new StageForward(_model, _cache);
            _ready.SetResult();
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            return;
        }

        while (TakeNext() is { } pass)
        {
            var work = pass.SelectMany(p => p.Work).ToList();
            _lastPassItems = work.Count;
            var watch = Stopwatch.StartNew();
            try
            {
                var results = forward.Run(work);
                Statistics.Record(work.Count, work.Sum(w => w.TokenCount), watch.Elapsed, DisposeScopeManager.Statistics.ThreadTotalLiveCount, forward.LastPassFused);
                int offset = 0;
                foreach (var pending in pass)
                {
                    pending.Completion.TrySetResult(results.Skip(offset).Take(pending.Work.Count).ToArray());
                    offset += pending.Work.Count;
                }
            }
            catch (Exception e)
            {
                foreach (var pending in pass) pending.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>Memory left on the stage's device now: free device memory on a GPU, available RAM (within the cgroup's limit) on the CPU.</summary>
    private static long AvailableBytes(Device device) =>
        device.type == DeviceType.CUDA ? Memory.CudaMemory.FreeBytes(device.ToString()) : Memory.HostMemory.Read().AvailableBytes;

    /// <summary>Waits for work, then takes queued items, oldest first, while they fit the token budget and <see cref="MaxPassSequences"/>.</summary>
    private List<PendingBatch>? TakeNext()
    {
        lock (_gate)
        {
            while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
            if (_queue.Count == 0) return null;
            GatherArrivals();
            var pass = new List<PendingBatch> { _queue.Dequeue() };
            if (!pass[0].Mergeable) return pass;
            int tokens = pass[0].Tokens, items = pass[0].Work.Count, maxItems = MaxPassSequences;
            while (_queue.TryPeek(out var next) && next.Mergeable && tokens + next.Tokens <= _options.MaxBatchTokens && items + next.Work.Count <= maxItems)
            {
                tokens += next.Tokens;
                items += next.Work.Count;
                pass.Add(_queue.Dequeue());
            }
            return pass;
        }
    }

    /// <summary>
    /// A batch that left the previous stage together arrives here one message at a time, over a
    /// millisecond or so. Starting on the first would run it alone and the rest in the next pass:
    /// two passes that each stream every weight. So while fewer items are queued than the last
    /// pass took, and they keep arriving, wait a little for the rest. A lone sequence never waits
    /// (its last pass took one item), and the wait ends after
    /// <see cref="StageExecutorOptions.BatchArrivalGap"/> without a new arrival or
    /// <see cref="StageExecutorOptions.MaxBatchGather"/> in all.
    /// </summary>
    private void GatherArrivals()
    {
        if (!_queue.Peek().Mergeable) return;
        var gap = _options.BatchArrivalGap;
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.MaxBatchGather.TotalSeconds * Stopwatch.Frequency);
        int expected = Math.Min(_lastPassItems, MaxPassSequences);
        while (!_stopping && _queue.Sum(p => p.Work.Count) < expected && _queue.Sum(p => p.Tokens) < _options.MaxBatchTokens)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) return;
            if (!Monitor.Wait(_gate, left < gap ? left : gap)) return; // no arrival within the gap
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        if (Thread.CurrentThread != _thread) _thread.Join();
        foreach (var pending in _queue) pending.Completion.TrySetException(new ObjectDisposedException(nameof(StageExecutor)));
        _cache?.Dispose();
        _model?.Dispose();
    }

    private sealed class PendingBatch(IReadOnlyList<StageWork> work, bool mergeable)
    {
        public IReadOnlyList<StageWork> Work { get; } = work;

        public bool Mergeable { get; } = mergeable;

        public int Tokens { get; } = work.Sum(w => w.TokenCount);

        public TaskCompletionSource<IReadOnlyList<StageResult>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
