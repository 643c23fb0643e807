using BenchmarkDotNet.Attributes;
using Cluster.Engine.Encoders;
using Cluster.TestSupport;

namespace Cluster.Benchmarks.Encoders;

/// <summary>
/// all-MiniLM-L6-v2 (../shared/models) embedding Batch sentences of ~16 tokens in one padded pass
/// of the engine's encoder, pooling included; embeddings per second = Batch / the mean.
/// </summary>
public class EmbeddingBenchmarks
{
    private EmbeddingModel _model = null!;
    private int[][] _inputs = [];

    [Params(1, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = EmbeddingModel.Load(SharedModels.Path("all-MiniLM-L6-v2-hf"));
        string[] sentences =
        [
            "The quick brown fox jumps over the lazy dog near the river bank today.",
            "Embeddings map sentences to vectors, and similar sentences lie close together.",
            "How do I reset my password? I forgot it yesterday and cannot log in now.",
            "Pipeline parallelism cuts a model into stages, each holding a range of layers.",
        ];
        _inputs = Enumerable.Range(0, Batch).Select(i => _model.Encode(sentences[i % sentences.Length], truncate: true)).ToArray();
    }

    [Benchmark]
    public float Embed() => _model.Embed(_inputs)[0][0];

    [GlobalCleanup]
    public void Cleanup() => _model.Dispose();
}
