using System.Diagnostics;
using System.Globalization;
using Cluster.ServingBench.Http;
using Cluster.ServingBench.Statistics;
using Cluster.ServingBench.Workload;

namespace Cluster.ServingBench.Running;

/// <summary>
/// Runs the workload once per request rate: warm-up requests first (not measured), then every
/// prompt sent at its Poisson arrival time, at most <c>MaxConcurrency</c> in flight.
/// </summary>
public sealed class BenchmarkRunner(HttpClient http, BenchOptions options)
{
    public async Task<IReadOnlyList<RateResult>> RunAsync(Action<string>? log, CancellationToken cancel)
    {
        options.Validated();
        double ratio = options.Dataset == "fixed" ? 0 : options.RangeRatio;
        var prompts = RandomDataset.Generate(options.NumPrompts, options.InputLength, options.OutputLength, ratio, options.Seed);
        var request = new StreamingRequest(http, options.RequestUri, new CompletionEndpoint(options.Endpoint, options.Sampling), options.Model);

        for (int i = 0; i < options.NumWarmups; i++)
        {
            var warm = await request.SendAsync(prompts[i % prompts.Count], cancel).ConfigureAwait(false);
            if (!warm.Success)
                throw new InvalidOperationException($"warm-up request failed: {warm.Error}");
        }

        var results = new List<RateResult>();
        foreach (double rate in options.RequestRates)
        {
            log?.Invoke($"request rate {FormatRate(rate)}, max concurrency {options.MaxConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}: {prompts.Count} requests");
            results.Add(await RunRateAsync(request, prompts, rate, cancel).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<RateResult> RunRateAsync(StreamingRequest request, IReadOnlyList<BenchPrompt> prompts, double rate, CancellationToken cancel)
    {
        var arrivals = ArrivalSchedule.Poisson(prompts.Count, rate, options.Seed);
        using var limit = options.MaxConcurrency is int n ? new SemaphoreSlim(n) : null;
        var watch = Stopwatch.StartNew();
        var tasks = new Task<RequestOutcome>[prompts.Count];
        for (int i = 0; i < prompts.Count; i++)
        {
            var wait = arrivals[i] - watch.Elapsed;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, cancel).ConfigureAwait(false);
            tasks[i] = SendLimitedAsync(request, prompts[i], limit, cancel);
        }
        var outcomes = await Task.WhenAll(tasks).ConfigureAwait(false);
        var duration = watch.Elapsed;
        var errors = outcomes.Where(o => !o.Success).Select(o => o.Error ?? "unknown error").Distinct().Take(10).ToList();
        return new RateResult(FormatRate(rate), options.MaxConcurrency, BenchmarkMetrics.Compute(outcomes, duration, options.Goodput), errors);
    }

    private static async Task<RequestOutcome> SendLimitedAsync(StreamingRequest request, BenchPrompt prompt, SemaphoreSlim? limit, CancellationToken cancel)
    {
        if (limit is not null)
            await limit.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return await request.SendAsync(prompt, cancel).ConfigureAwait(false);
        }
        finally
        {
            limit?.Release();
        }
    }

    public static string FormatRate(double rate) =>
        double.IsPositiveInfinity(rate) ? "inf" : rate.ToString(CultureInfo.InvariantCulture);
}
