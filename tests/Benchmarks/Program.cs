using BenchmarkDotNet.Running;

// Pick benchmarks with --filter (e.g. --filter '*Sampling*'); --job dry runs each once to prove it works.
// They always run in this process: a generated per-job project would copy libtorch (~500 MB) again
// and miss the build step that lets TorchSharp load on hosts with an older libstdc++ (see README).
string[] arguments = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(Cluster.Benchmarks.Shapes).Assembly).Run(arguments);
