using BenchmarkDotNet.Attributes;
using Cluster.Engine.Execution;
using Cluster.Engine.Model;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Benchmarks.Execution;

/// <summary>Prefill of one 128-token prompt through the whole 110M model, sampling its first token.</summary>
[MemoryDiagnoser]
public class PrefillBenchmarks
{
    private const int PromptTokens = 128;
    private StageExecutor _executor = null!;
    private StageWork[] _prefill = [];

    [Params("float32", "bfloat16")]
    public string Dtype { get; set; } = "float32";

    [GlobalSetup]
    public void Setup()
    {
        var checkpoint = new SyntheticCheckpoint(Shapes.Llama110M);
        int pages = PromptTokens / 16;
        var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(Dtype), PageSize = 16, PageCount = pages };
        _executor = StageExecutor.Start(checkpoint, LayerRange.All(checkpoint.Config.NumHiddenLayers), options);
        var tokens = StageWorkFactory.RandomTokens(new Random(0), PromptTokens, checkpoint.Config.VocabSize);
        _prefill = [StageWorkFactory.Work(0, pages, 0, tokens)];
    }

    [Benchmark]
    public int Prefill128() => _executor.Run(_prefill)[0].Token!.TokenId;

    [GlobalCleanup]
    public void Cleanup() => _executor.Dispose();
}
