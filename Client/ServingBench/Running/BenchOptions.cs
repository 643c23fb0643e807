using Cluster.ServingBench.Http;
using Cluster.ServingBench.Statistics;

namespace Cluster.ServingBench.Running;

/// <summary>What <c>bench</c> was asked to do; the names follow vLLM's <c>bench serve</c>.</summary>
public sealed record BenchOptions
{
    public required Uri BaseUrl { get; init; }

    public required string Model { get; init; }

    public string Endpoint { get; init; } = "/v1/completions";

    public string Dataset { get; init; } = "random";

    public int InputLength { get; init; } = 128;

    public int OutputLength { get; init; } = 128;

    public double RangeRatio { get; init; }

    public BenchSampling Sampling { get; init; } = BenchSampling.Greedy;

    /// <summary>One run per rate; infinity sends every request at once.</summary>
    public IReadOnlyList<double> RequestRates { get; init; } = [double.PositiveInfinity];

    public int? MaxConcurrency { get; init; }

    public int NumPrompts { get; init; } = 100;

    public int Seed { get; init; }

    public int NumWarmups { get; init; }

    public Slo Goodput { get; init; } = Slo.None;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public Uri RequestUri => new(BaseUrl, Endpoint);

    public BenchOptions Validated()
    {
        if (NumPrompts <= 0) throw new ArgumentOutOfRangeException(nameof(NumPrompts), $"--num-prompts must be positive (is {NumPrompts})");
        if (MaxConcurrency is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), $"--max-concurrency must be positive (is {MaxConcurrency})");
        if (NumWarmups < 0) throw new ArgumentOutOfRangeException(nameof(NumWarmups), $"--num-warmups must not be negative (is {NumWarmups})");
        if (Sampling.Temperature is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(Sampling), $"--temperature must be in [0, 2] (is {Sampling.Temperature})");
        if (RequestRates.Count == 0) throw new ArgumentException("at least one request rate is needed");
        if (Dataset is not ("random" or "fixed")) throw new ArgumentException($"dataset '{Dataset}' is unknown (random and fixed are)");
        return this;
    }
}
