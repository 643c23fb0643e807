using BenchmarkDotNet.Attributes;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Benchmarks.Execution;

/// <summary>
/// One decode pass of the whole 110M model through a <see cref="StageExecutor"/>: Batch sequences
/// with 128 cached tokens each, one new token each, greedy sampling included. Every iteration
/// rewrites the same KV slot, so the context (and the cost) stays the same.
/// </summary>
[MemoryDiagnoser]
public class DecodeStepBenchmarks
{
    private const int Context = 128;
    private StageExecutor _executor = null!;
    private StageWork[] _step = [];

    [Params(1, 32)]
    public int Batch { get; set; }

    [Params("float32", "bfloat16")]
    public string Dtype { get; set; } = "float32";

    /// <summary>engine: the engine's CPU kernels where they apply (float32); torch: libtorch's operators only.</summary>
    [Params("engine", "torch")]
    public string Kernels { get; set; } = "engine";

    [GlobalSetup]
    public void Setup()
    {
        CpuKernels.Enabled = Kernels == "engine";
        var checkpoint = new SyntheticCheckpoint(Shapes.Llama110M);
        int pagesEach = (Context + 1 + 15) / 16;
        var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(Dtype), PageSize = 16, PageCount = pagesEach * Batch };
        _executor = StageExecutor.Start(checkpoint, LayerRange.All(checkpoint.Config.NumHiddenLayers), options);
        var random = new Random(0);
        var prefill = Enumerable.Range(0, Batch)
            .Select(s => StageWorkFactory.Work(s, pagesEach, 0, StageWorkFactory.RandomTokens(random, Context, checkpoint.Config.VocabSize)))
            .ToArray();
        _executor.Run(prefill);
        _step = Enumerable.Range(0, Batch)
            .Select(s => StageWorkFactory.Work(s, pagesEach, Context, StageWorkFactory.RandomTokens(random, 1, checkpoint.Config.VocabSize)))
            .ToArray();
    }

    [Benchmark]
    public int DecodeStep() => _executor.Run(_step)[0].Token!.TokenId;

    [GlobalCleanup]
    public void Cleanup()
    {
        _executor.Dispose();
        CpuKernels.Enabled = true;
    }
}
