using System.CommandLine;
using System.Diagnostics;
using Cluster.Engine.Diagnostics;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Models;
using TorchSharp;

namespace Cluster.Client.Commands;

/// <summary>
/// <c>engine-bench</c>: decode tokens/s of the engine alone at several concurrencies, beside the
/// memory-bandwidth bound measured in the same run. Each round measures the bandwidth, then every
/// concurrency, so that a machine whose bandwidth drifts (a shared VM) is compared with itself.
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
        var rounds = new Option<int>("--rounds") { Description = "rounds of (bandwidth, every concurrency); medians are reported", DefaultValueFactory = _ => 3 };
        var warmUpSeconds = new Option<double>("--warmup-seconds") { Description = "untimed rounds run first for at least this long", DefaultValueFactory = _ => 5 };
        var hugePages = new Option<bool>("--huge-pages") { Description = "weights and K/V pages in 2 MiB pages (false: libtorch's 4 KiB-page allocations)", DefaultValueFactory = _ => true };
        var kernels = new Option<string>("--kernels") { Description = "engine: the engine's CPU decode kernels where they apply; torch: libtorch operators only", DefaultValueFactory = _ => "engine" };
        kernels.AcceptOnlyFromAmong("engine", "torch");
        var command = new Command("engine-bench", "Measure the engine's decode speed against this machine's memory bandwidth") { model, concurrency, steps, prompt, stages, dtype, rounds, warmUpSeconds, hugePages, kernels };
        command.SetAction(async (result, cancel) =>
        {
            CpuKernels.Enabled = result.GetValue(kernels) == "engine";
            using var loaded = ModelSource.Open(result.GetValue(model)!, tokenizerPath: null);
            var options = new StageExecutorOptions { Dtype = DtypeNames.Parse(result.GetValue(dtype)!), KvCacheBytes = 512L << 20, HugePages = result.GetValue(hugePages) };
            using var chain = await PipelineChain.StartAsync(loaded.Checkpoint, result.GetValue(stages), options);
            long weightBytes = chain.Stages.Sum(s => s.WeightBytes);
            long readPerToken = chain.Stages.Sum(s => s.DecodeReadBytes);
            var concurrencies = result.GetValue(concurrency)!;
            Console.WriteLine($"model: {loaded.Description}; {weightBytes / 1e6:F1} MB of weights; {readPerToken / 1e6:F1} MB read per decode pass");
            Console.WriteLine($"threads: {torch.get_num_threads()}; dtype: {options.Dtype}; stages: {chain.Stages.Count}; kernels: {(CpuKernels.Enabled ? "engine" : "torch")}; " +
                              $"weights in 2 MiB pages: {(chain.Stages.All(s => s.WeightsInHugePages) ? "yes" : "no")}");

            // Untimed rounds first, every measurement of a round included, for at least the warm-up
            // time: the tiered JIT recompiles what runs hot on a background thread for seconds, and
            // on a machine of few cores that slowed the first timed round's decode by 10-30 %
            // after a single untimed run of each concurrency.
            var warmUp = Stopwatch.StartNew();
            do
            {
                MemoryBandwidth.MeasureReadBytesPerSecond();
                CpuStalls.Measure(KernelThreads.Shared.ThreadCount, TimeSpan.FromMilliseconds(500));
                foreach (int c in concurrencies)
                    await DecodeBenchmark.RunAsync(chain, c, result.GetValue(prompt), result.GetValue(steps));
            } while (warmUp.Elapsed < TimeSpan.FromSeconds(result.GetValue(warmUpSeconds)));

            var bounds = new List<double>();
            var speeds = concurrencies.ToDictionary(c => c, _ => new List<double>());
            for (int round = 1; round <= result.GetValue(rounds); round++)
            {
                double bound = MemoryBandwidth.MeasureReadBytesPerSecond() / readPerToken;
                bounds.Add(bound);
                Console.WriteLine($"round {round}: read bandwidth {bound * readPerToken / 1e9:F2} GB/s -> bound for one sequence {bound:F1} tokens/s; " +
                                  CpuStalls.Measure(KernelThreads.Shared.ThreadCount, TimeSpan.FromMilliseconds(500)));
                foreach (int c in concurrencies)
                {
                    var m = await DecodeBenchmark.RunAsync(chain, c, result.GetValue(prompt), result.GetValue(steps));
                    speeds[c].Add(m.TokensPerSecond);
                    Console.WriteLine($"  concurrency {c,3}: {m.TokensPerSecond,8:F1} tokens/s  {m.MillisecondsPerStep,7:F2} ms/pass" +
                                      (c == 1 ? $"  ({m.TokensPerSecond / bound:P0} of this round's bound)" : ""));
                }
            }

            Console.WriteLine($"median bound for one sequence: {Median(bounds):F1} tokens/s ({Median(bounds) * readPerToken / 1e9:F2} GB/s)");
            foreach (int c in concurrencies)
                Console.WriteLine($"concurrency {c,3}: median {Median(speeds[c]),8:F1} tokens/s, best {speeds[c].Max(),8:F1}" +
                                  (c == 1 ? $"  (median of rounds: {Median(speeds[c].Zip(bounds, (s, b) => s / b).ToList()):P0} of the bound)" : "") +
                                  (c != 1 && speeds.ContainsKey(1) ? $"  ({Median(speeds[c]) / Median(speeds[1]):F1}x one sequence)" : ""));
            return 0;
        });
        return command;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
