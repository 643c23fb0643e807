using System.Collections.Concurrent;
using Cluster.Engine.Encoders;
using Cluster.Engine.Model;
using Cluster.Grains.Hosting;
using Cluster.Grains.Telemetry;
using static TorchSharp.torch;

namespace Cluster.Grains.Encoders;

/// <summary>
/// The silo's embedding model (<see cref="ClusterSiloOptions.EmbeddingModel"/>): its files, read
/// and checked when the silo starts (<see cref="EncoderFiles"/>), and the layers of each stage,
/// loaded when that stage's grain first runs here, with the batcher that gathers its passes.
/// </summary>
public sealed class ServedEncoder : IDisposable
{
    private readonly EncoderFiles _files;
    private readonly IReadOnlyList<LayerRange> _ranges;
    private readonly ConcurrentDictionary<int, Lazy<EncoderBatcher>> _batchers = new();
    private readonly int _maxBatchTokens;

    public ServedEncoder(ClusterSiloOptions options)
    {
        Directory = Path.GetFullPath(options.EmbeddingModel ?? throw new ArgumentException("no embedding model is configured", nameof(options)));
        _files = EncoderFiles.Open(Directory);
        Id = options.EmbeddingModelName ?? Path.GetFileName(Directory.TrimEnd(Path.DirectorySeparatorChar));
        if (options.EmbeddingStages > Config.NumHiddenLayers)
            throw new ArgumentException($"--embedding-stages {options.EmbeddingStages}: the encoder in {Directory} has only {Config.NumHiddenLayers} layers");
        _ranges = LayerRange.SplitEvenly(Config.NumHiddenLayers, options.EmbeddingStages);
        _maxBatchTokens = options.EmbeddingMaxBatchTokens;
    }

    public string Directory { get; }
    public string Id { get; }
    public EncoderConfig Config => _files.Config;
    public WordPieceTokenizer Tokenizer => _files.Tokenizer;
    public SentencePooling Pooling => _files.Pooling;
    public int StageCount => _ranges.Count;

    /// <summary>The layers of each stage, in order.</summary>
    public IReadOnlyList<LayerRange> StageLayers => _ranges;
    public int Dimensions => _files.Dimensions;

    /// <summary>The most tokens one input may have, [CLS] and [SEP] included.</summary>
    public int MaxTokens => _files.MaxTokens;

    public static string StageKey(string model, int stage) => $"{model}/{stage}";

    public static int StageOf(string key, string model, int stages)
    {
        int slash = key.LastIndexOf('/');
        if (slash < 0 || key[..slash] != model || !int.TryParse(key[(slash + 1)..], out int stage) || stage < 0 || stage >= stages)
            throw new ArgumentException($"encoder stage key '{key}' names no stage of '{model}' ({stages} stages)");
        return stage;
    }

    /// <summary>The stage's batcher, its layers loaded on first use; its passes are recorded in <paramref name="metrics"/>.</summary>
    public EncoderBatcher Batcher(int stage, StageMetrics metrics) => _batchers.GetOrAdd(stage, s => new Lazy<EncoderBatcher>(() => Start(s, metrics))).Value;

    private EncoderBatcher Start(int stage, StageMetrics metrics)
    {
        var runner = _files.Stage(_ranges[stage], ScalarType.Float32);
        var batcher = new EncoderBatcher(runner.Run, _maxBatchTokens, $"encoder {Id} stage {stage}");
        var labels = new StageLabels(Id, Replica: 0, stage, _ranges[stage].ToString(), Device: "cpu");
        batcher.PassCompleted += (sequences, tokens, duration) => metrics.RecordEncoderPass(labels, sequences, tokens, duration);
        return batcher;
    }

    public void Dispose()
    {
        foreach (var batcher in _batchers.Values.Where(b => b.IsValueCreated)) batcher.Value.Dispose();
        _files.Dispose();
    }
}
