using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Engine.Execution;
using Cluster.Engine.Paging;
using Cluster.Grains.Stages;

namespace Cluster.Grains.Telemetry;

/// <summary>
/// Per-stage instruments (docs/metrics.md, "Per-stage metrics"): pass sizes and times are
/// recorded as each pass completes on the executor thread; queue depth, busy fraction and page
/// counts are read from the live stages of this silo when the exporter collects.
/// </summary>
public sealed class StageMetrics
{
    private static readonly TimeSpan BusyWindowLength = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<StageLabels, StageProbe> _stages = new();
    // Keyed by the sending stage (model, replica, stage): hops are measured where they arrive.
    private readonly ConcurrentDictionary<(string Model, int Replica, int Stage), RecentMean> _recentHops = new();
    private readonly ServingWindow _serving;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _batchTokens;
    private readonly Histogram<double> _forward;
    private readonly Histogram<double> _hop;
    private readonly Histogram<int> _sequencePages;
    private readonly TimeProvider _time;

    public StageMetrics(IMeterFactory meters, TimeProvider time, ServingWindow serving)
    {
        _time = time;
        _serving = serving;
        var meter = meters.Create(ServingTelemetry.MeterName);
        _batchSize = meter.CreateHistogram("cluster.stage.batch.size", "{sequence}", "Sequences in each forward pass",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = Buckets.BatchSequences });
        _batchTokens = meter.CreateHistogram("cluster.stage.batch.tokens", "{token}", "Tokens in each forward pass",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = Buckets.BatchTokens });
        _forward = meter.CreateHistogram("cluster.stage.forward.duration", "s", "Wall time of one forward pass of the stage's layers",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.ForwardSeconds });
        _hop = meter.CreateHistogram("cluster.stage.hop.duration", "s", "From a stage sending its activations to the next stage receiving them",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.HopSeconds });
        _sequencePages = meter.CreateHistogram("cluster.stage.sequence.pages", "{page}", "KV pages a sequence held on the stage when it released them (pages grow with the tokens)",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = Buckets.SequencePages });
        meter.CreateObservableGauge("cluster.stage.queue.depth", () => Observe(p => (long)p.Executor.QueueDepth), "{message}", "Steps received and not yet in a forward pass");
        meter.CreateObservableGauge("cluster.stage.busy_ratio", () => Observe(p => p.Busy.Fraction()), "1", "Fraction of the last 10 s spent in forward passes");
        meter.CreateObservableGauge("cluster.stage.pages.used", () => Observe(p => (long)p.Pages().UsedPages), "{page}", "KV pages held by sequences");
        meter.CreateObservableGauge("cluster.stage.pages.cached", () => Observe(p => (long)p.Pages().CachedPages), "{page}", "KV pages holding a registered prompt prefix, in use or free");
        meter.CreateObservableGauge("cluster.stage.pages.free", () => Observe(p => (long)p.Pages().FreePages), "{page}", "KV pages on the free list");
        meter.CreateObservableGauge("cluster.stage.kv_cache.capacity", () => Observe(p => p.Executor.KvCache.CapacityTokens), "{token}", "Tokens the stage's KV page pool holds, all sequences together");
        meter.CreateObservableGauge("cluster.stage.kv_cache.max_concurrency", () => Observe(p => p.Executor.KvCache.MaxConcurrency), "{sequence}",
            "Sequences of full context the stage's KV page pool holds at once");
        meter.CreateObservableGauge("cluster.stage.activation_log.usage", () => Observe(p => p.ActivationLogBytes()), "By",
            "Host memory holding activations sent on, kept so a replay need not recompute them");
        meter.CreateObservableGauge("cluster.kv_cache.usage_ratio", () => Observe(p => p.Pages().KvUsage), "1", "Fraction of the stage's KV page pool in use");
        meter.CreateObservableCounter("cluster.prefix_cache.queries", () => ObserveFirstStages(p => p.Pages().PrefixQueryTokens), "{token}", "Prompt tokens looked up in the prefix cache");
        meter.CreateObservableCounter("cluster.prefix_cache.hits", () => ObserveFirstStages(p => p.Pages().PrefixHitTokens), "{token}", "Prompt tokens found in the prefix cache");
        meter.CreateObservableGauge("cluster.cache_config.info", () => _stages.Select(s => new Measurement<long>(1,
            [.. s.Key.Tags(), new("page_size", s.Value.Executor.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
             new("page_count", s.Value.Executor.PageCount.ToString(System.Globalization.CultureInfo.InvariantCulture))])), "1", "KV cache configuration of the stage (labels)");
    }

    /// <summary>Starts observing a stage; dispose the result when the stage deactivates.</summary>
    public IDisposable Track(StageLabels labels, StageExecutor executor, Func<PagePoolStats> pages, Func<long> activationLogBytes)
    {
        var probe = new StageProbe(labels, executor, pages, activationLogBytes, new BusyWindow(BusyWindowLength, _time), this);
        _stages[labels] = probe;
        return probe;
    }

    /// <summary>
    /// Records a pass of an encoder stage under the same per-stage instruments (an encoder's stages
    /// are stages too; its model label tells them apart). Encoders hold no pages and keep no queue
    /// of steps, so only the pass figures apply.
    /// </summary>
    public void RecordEncoderPass(StageLabels labels, int sequences, long tokens, TimeSpan elapsed)
    {
        var tags = labels.Tags();
        _batchSize.Record(sequences, tags);
        _batchTokens.Record((int)Math.Min(int.MaxValue, tokens), tags);
        _forward.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records the pages a sequence held on a stage when they went back to the pool.</summary>
    public void RecordSequencePages(StageLabels labels, int pages) => _sequencePages.Record(pages, labels.Tags());

    /// <summary>Records the hop that delivered a message sent at <paramref name="sentAtTicks"/> (UTC), under the sender's labels.</summary>
    public void RecordHop(StageLabels sender, long sentAtTicks)
    {
        if (sentAtTicks <= 0) return;
        double seconds = (_time.GetUtcNow().UtcTicks - sentAtTicks) / (double)TimeSpan.TicksPerSecond;
        _hop.Record(Math.Max(0, seconds), sender.Tags());
        _recentHops.GetOrAdd((sender.Model, sender.Replica, sender.Stage), _ => new RecentMean(ServingWindow.Length, _time)).Record(Math.Max(0, seconds) * 1000);
    }

    /// <summary>
    /// A tracked stage's figures now. The hop into it was measured here; the last stage's hop out
    /// (to its sequence grains, which live on its silo) too, and so were its replica's requests.
    /// </summary>
    /// <returns>null for a stage not tracked here (one deactivating).</returns>
    public StageLiveFigures? Live(StageLabels labels, bool last)
    {
        if (!_stages.TryGetValue(labels, out var probe)) return null;
        var pages = probe.Pages();
        return new StageLiveFigures
        {
            BusyFraction = probe.Busy.Fraction(),
            MeanBatchSize = probe.RecentBatchSize.Mean(),
            MeanBatchTokens = probe.RecentBatchTokens.Mean(),
            ForwardMs = probe.RecentForwardMs.Mean(),
            HopInMs = labels.Stage == 0 ? null : RecentHop(labels.Model, labels.Replica, labels.Stage - 1),
            HopOutMs = last ? RecentHop(labels.Model, labels.Replica, labels.Stage) : null,
            PagesUsed = pages.UsedPages,
            PagesCached = pages.CachedPages,
            PagesFree = pages.FreePages,
            Serving = last ? _serving.Read(labels.Model, labels.Replica) : null,
        };
    }

    private double? RecentHop(string model, int replica, int sender) =>
        _recentHops.TryGetValue((model, replica, sender), out var hops) ? hops.Mean() : null;

    private IEnumerable<Measurement<T>> Observe<T>(Func<StageProbe, T> read) where T : struct =>
        _stages.Values.Select(p => new Measurement<T>(read(p), p.Labels.Tags()));

    /// <summary>Serving-level counters kept by the pools of first stages, labelled by model and replica only.</summary>
    private IEnumerable<Measurement<long>> ObserveFirstStages(Func<StageProbe, long> read) =>
        _stages.Values.Where(p => p.Labels.Stage == 0).Select(p => new Measurement<long>(read(p),
            new KeyValuePair<string, object?>("model", p.Labels.Model),
            new KeyValuePair<string, object?>("replica", p.Labels.Replica.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private sealed class StageProbe : IDisposable
    {
        private readonly StageMetrics _owner;
        private readonly KeyValuePair<string, object?>[] _tags;

        public StageProbe(StageLabels labels, StageExecutor executor, Func<PagePoolStats> pages, Func<long> activationLogBytes, BusyWindow busy, StageMetrics owner)
        {
            Labels = labels;
            Executor = executor;
            Pages = pages;
            ActivationLogBytes = activationLogBytes;
            Busy = busy;
            RecentBatchSize = new RecentMean(ServingWindow.Length, owner._time);
            RecentBatchTokens = new RecentMean(ServingWindow.Length, owner._time);
            RecentForwardMs = new RecentMean(ServingWindow.Length, owner._time);
            _owner = owner;
            _tags = labels.Tags();
            executor.Statistics.BatchCompleted += OnPass;
        }

        public StageLabels Labels { get; }
        public StageExecutor Executor { get; }
        public Func<PagePoolStats> Pages { get; }
        public Func<long> ActivationLogBytes { get; }
        public BusyWindow Busy { get; }
        public RecentMean RecentBatchSize { get; }
        public RecentMean RecentBatchTokens { get; }
        public RecentMean RecentForwardMs { get; }

        private void OnPass(int sequences, int tokens, TimeSpan elapsed)
        {
            _owner._batchSize.Record(sequences, _tags);
            _owner._batchTokens.Record(tokens, _tags);
            _owner._forward.Record(elapsed.TotalSeconds, _tags);
            Busy.Record(elapsed);
            RecentBatchSize.Record(sequences);
            RecentBatchTokens.Record(tokens);
            RecentForwardMs.Record(elapsed.TotalMilliseconds);
        }

        public void Dispose()
        {
            Executor.Statistics.BatchCompleted -= OnPass;
            _owner._stages.TryRemove(new KeyValuePair<StageLabels, StageProbe>(Labels, this));
        }
    }
}
