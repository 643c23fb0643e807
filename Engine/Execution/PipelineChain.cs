using Cluster.Engine.Model;
using Cluster.Engine.Weights;

namespace Cluster.Engine.Execution;

/// <summary>
/// A model cut into stages in one process: each stage its own executor (own thread, own K/V
/// pages), activations handed from one to the next in memory. Every stage has the same page
/// size and page count, so one page table per sequence serves all stages. It is the
/// single-process pipeline the cluster's answers are compared with, and the engine's own way to
/// generate.
/// </summary>
public sealed class PipelineChain : IDisposable
{
    private readonly StageExecutor[] _stages;

    private PipelineChain(StageExecutor[] stages) => _stages = stages;

    public static async Task<PipelineChain> StartAsync(ICheckpoint checkpoint, IReadOnlyList<LayerRange> ranges, StageExecutorOptions options)
    {
        if (options.PageCount is null)
        {
            // Size pages for the largest stage so every stage can hold the same page ids.
            int largest = ranges.Max(r => r.Count);
            int pages = Attention.PagedKvCache.PagesForBudget(checkpoint.Config, largest, options.PageSize, options.Dtype,
                options.KvCacheBytes ?? throw new ArgumentException("a local pipeline needs a page count or a KV cache budget in bytes", nameof(options)));
            options = options with { PageCount = Math.Max(1, pages) };
        }
        var started = new List<StageExecutor>();
        try
        {
            foreach (var range in ranges)
                started.Add(await StageExecutor.StartAsync(checkpoint, range, options).ConfigureAwait(false));
        }
        catch
        {
            foreach (var stage in started) stage.Dispose();
            throw;
        }
        return new PipelineChain(started.ToArray());
    }

    public static Task<PipelineChain> StartAsync(ICheckpoint checkpoint, int stageCount, StageExecutorOptions options) =>
        StartAsync(checkpoint, LayerRange.SplitEvenly(checkpoint.Config.NumHiddenLayers, stageCount), options);

    public IReadOnlyList<StageExecutor> Stages => _stages;

    public int PageSize => _stages[0].PageSize;

    public int PageCount => _stages[0].PageCount;

    /// <summary>Runs first-stage work (token ids) through every stage; returns the last stage's results.</summary>
    public async Task<IReadOnlyList<StageResult>> RunAsync(IReadOnlyList<StageWork> batch)
    {
        var results = await _stages[0].RunAsync(batch).ConfigureAwait(false);
        for (int s = 1; s < _stages.Length; s++)
        {
            var next = batch.Select((work, i) => work with { TokenIds = null, Hidden = results[i].Hidden }).ToArray();
            results = await _stages[s].RunAsync(next).ConfigureAwait(false);
        }
        return results;
    }

    public void Dispose()
    {
        foreach (var stage in _stages) stage.Dispose();
    }
}
