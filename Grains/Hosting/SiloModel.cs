using Cluster.Engine.Config;
using Cluster.Engine.Execution;
using Cluster.Engine.Model;
using Cluster.Engine.Models;
using Cluster.Engine.Tokenizers;
using Cluster.Grains.Pipeline;

namespace Cluster.Grains.Hosting;

/// <summary>
/// The silo's model: its checkpoint and tokenizer, opened once through the Engine's
/// <see cref="ModelSource"/> (memory-mapped, so each stage reads only its own layers' bytes) and
/// shared by the stage grains of this silo.
/// </summary>
public sealed class SiloModel : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly LoadedModel _model;

    private SiloModel(LoadedModel model, ClusterSiloOptions options)
    {
        _model = model;
        TrainedContextLength = model.Checkpoint.Config.MaxPositionEmbeddings;
        Config = options.MaxModelLen is { } length ? model.Checkpoint.Config with { MaxPositionEmbeddings = length } : model.Checkpoint.Config;
        Name = options.ModelName ?? model.Name;
        Options = options;
    }

    /// <summary>Opens the configured model; a missing or corrupt file fails here, naming it.</summary>
    public static SiloModel Open(ClusterSiloOptions options) => new(ModelSource.Open(options.Model, options.Tokenizer), options);

    /// <summary>The model's name in grain keys.</summary>
    public string Name { get; }

    /// <summary>The model's shape, with the context length served (<see cref="ClusterSiloOptions.MaxModelLen"/> where it is set).</summary>
    public ModelConfig Config { get; }

    /// <summary>The context length the model file says it was trained for.</summary>
    public int TrainedContextLength { get; }

    public ITextTokenizer Tokenizer => _model.Tokenizer;

    public ClusterSiloOptions Options { get; }

    public string Source => _model.Description;

    /// <summary>The layer ranges this silo hosts (null: automatic plan; empty: a spare).</summary>
    public IReadOnlyList<LayerRange>? HostedLayers()
    {
        int total = Config.NumHiddenLayers;
        if (Options.Auto) return null;
        if (Options.Spare) return [];
        if (Options.Layers is { } layers)
        {
            return InclusiveRanges.Parse(layers).Select(r => new LayerRange(r.First, r.Last + 1, total).Validated()).ToArray();
        }
        var split = StageCost.Balanced(total, Options.StageCount, StageCost.HeadLayers(Config));
        if (Options.Stages is { } stages)
        {
            return InclusiveRanges.Parse(stages).SelectMany(r => Enumerable.Range(r.First, r.Last - r.First + 1)).Select(s =>
                s < split.Count ? split[s] : throw new ArgumentOutOfRangeException(nameof(Options.Stages), $"stage {s} is beyond the {split.Count} stages of the split")).ToArray();
        }
        return split;
    }

    /// <summary>What this silo advertises in its metadata.</summary>
    public SiloAdvert Advert(string silo)
    {
        long memory = Options.DeviceMemoryMb ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 20);
        return new SiloAdvert(silo, Name, Config.NumHiddenLayers, HostedLayers(), Options.Replica, Options.Replicas, memory, Options.ExpectedSilos, DtypeNames.Parse(Options.Dtype).ToString().ToLowerInvariant(), StageCost.HeadLayers(Config));
    }

    public StageExecutorOptions ExecutorOptions => new()
    {
        PageSize = Options.PageSize,
        PageCount = Options.PageCount,
        Dtype = DtypeNames.Parse(Options.Dtype),
        KvCacheBytes = Options.KvCacheMb is { } mebibytes ? (long)mebibytes << 20 : null,
        // The fraction is the device's; the stages this silo hosts share it.
        KvCacheMemoryFraction = Options.KvCacheMemoryFraction / Math.Max(1, HostedLayers()?.Count ?? 1),
        KvCacheMaxSequences = Options.KvCacheMaxSequences,
        ContextTokens = Config.MaxPositionEmbeddings,
        HugePages = Options.HugePages,
        Device = Options.Device,
        MaxBatchTokens = Options.MaxBatchTokens,
    };

    /// <summary>Loads one stage's layers onto the device, one stage at a time.</summary>
    public async Task<StageExecutor> StartStageAsync(LayerRange range, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await StageExecutor.StartAsync(_model.Checkpoint, range, ExecutorOptions).ConfigureAwait(false);
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose()
    {
        _model.Dispose();
        _loading.Dispose();
    }
}
