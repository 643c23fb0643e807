using System.CommandLine;
using Cluster.Engine.Diagnostics;
using Cluster.Engine.Execution;
using Cluster.Engine.Models;
using TorchSharp;

namespace Cluster.Client.Commands;

/// <summary>
/// <c>engine-bench</c>: decode tokens/s of the engine alone at several concurrencies, beside the
/// memory-bandwidth bound measured in the same run.
/// </summary>
internal static class EngineBenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "model path or synthetic:SHAPE", DefaultValueFactory = _ => "synthetic:llama-110m" };
        var concurrency = new Option<int[]>("--concurrency") { Description = "sequences decoded together, one run each", DefaultValueFactory = _ => [1, 32], AllowMultipleArgumentsPerToken = true };
        var steps = new Option<int>("--steps") { Description = "decode passes timed per run", DefaultValueFactory = _ => 32 };
        var prompt = new Option<int>("--prompt-tokens") { Description = "prompt length of each sequence", DefaultValueFactory = _ => 16 };
        var stages = new Option<int>("--stages") { Description = "stages the layers are split into (in this process)", DefaultValueFactory = _ => 1 };
        var dtype = new Option<string>("--dtype") { Description = "float32 or bfloat16", DefaultValueFactory = _ => "float32" };
        var command = new Command("engine-bench", "Measure the engine's decode speed against this machine's memory bandwidth") { model, concurrency, steps, prompt, stages, dtype };
        command.SetAction(async (result, cancel) =>
        {
            using var loaded = ModelSource.Open(result.GetValue(model)!, tokenizerPath: null);
            var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(result.GetValue(dtype)!), KvCacheBytes = 512L << 20 };
            using var chain = await PipelineChain.StartAsync(loaded.Checkpoint, result.GetValue(stages), options);
            long weightBytes = chain.Stages.Sum(s => s.WeightBytes);
            long readPerToken = chain.Stages.Sum(s => s.DecodeReadBytes);
            double bandwidth = MemoryBandwidth.MeasureReadBytesPerSecond();
            Console.WriteLine($"model: {loaded.Description}; {weightBytes / 1e6:F1} MB of weights; {readPerToken / 1e6:F1} MB read per decode pass");
            Console.WriteLine($"memory read bandwidth: {bandwidth / 1e9:F2} GB/s -> bound for one sequence: {bandwidth / readPerToken:F1} tokens/s");
            Console.WriteLine($"threads: {torch.get_num_threads()}; dtype: {options.Dtype}; stages: {chain.Stages.Count}");
            foreach (int c in result.GetValue(concurrency)!)
            {
                var m = await DecodeBenchmark.RunAsync(chain, c, result.GetValue(prompt), result.GetValue(steps));
                double ofBound = c == 1 ? m.TokensPerSecond / (bandwidth / readPerToken) : double.NaN;
                Console.WriteLine($"concurrency {c,3}: {m.TokensPerSecond,8:F1} tokens/s  {m.MillisecondsPerStep,7:F2} ms/pass" +
                                  (c == 1 ? $"  ({ofBound:P0} of the bandwidth bound)" : ""));
            }
            return 0;
        });
        return command;
    }
}
