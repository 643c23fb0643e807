using BenchmarkDotNet.Running;

// Pick benchmarks with --filter (e.g. --filter '*Sampling*'); --job dry runs each once to prove it works.
BenchmarkSwitcher.FromAssembly(typeof(Cluster.Benchmarks.Shapes).Assembly).Run(args);
