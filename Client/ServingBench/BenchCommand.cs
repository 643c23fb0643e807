using System.CommandLine;
using Cluster.ServingBench.Http;
using Cluster.ServingBench.Reporting;
using Cluster.ServingBench.Running;
using Cluster.ServingBench.Statistics;
using Cluster.ServingBench.Workload;

namespace Cluster.ServingBench;

/// <summary>
/// <c>bench</c>: a serving benchmark modelled on vLLM's <c>bench serve</c>, against any
/// OpenAI-compatible server over plain HTTP + SSE (no SDK, so it measures any server alike).
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "server base URL, e.g. http://127.0.0.1:8000", Required = true };
        var model = new Option<string>("--model") { Description = "the model id sent in each request", Required = true };
        var endpoint = new Option<string>("--endpoint") { Description = "/v1/completions or /v1/chat/completions", DefaultValueFactory = _ => "/v1/completions" };
        var dataset = new Option<string>("--dataset") { Description = "random (lengths vary by --range-ratio) or fixed", DefaultValueFactory = _ => "random" };
        dataset.AcceptOnlyFromAmong("random", "fixed");
        var inputLen = new Option<int>("--input-len") { Description = "prompt length in tokens (approximately: words)", DefaultValueFactory = _ => 128 };
        var outputLen = new Option<int>("--output-len") { Description = "max_tokens of each request", DefaultValueFactory = _ => 128 };
        var rangeRatio = new Option<double>("--range-ratio") { Description = "lengths drawn from [len·(1−r), len·(1+r)]", DefaultValueFactory = _ => 0 };
        var temperature = new Option<float>("--temperature") { Description = "sampling temperature of every request (0 = greedy; above 0 each request sends its own seed)", DefaultValueFactory = _ => 0 };
        var stopTokenIds = new Option<string?>("--stop-token-ids") { Description = "stop_token_ids of every request, e.g. 100-224: outputs then end before max_tokens, as real answers do" };
        var requestRate = new Option<string[]>("--request-rate")
        {
            Description = "requests/s with Poisson arrivals, or inf (all at once); several (1,2,4) run a sweep",
            DefaultValueFactory = _ => ["inf"],
            AllowMultipleArgumentsPerToken = true,
        };
        var maxConcurrency = new Option<int?>("--max-concurrency") { Description = "requests in flight at most" };
        var numPrompts = new Option<int>("--num-prompts") { Description = "requests per run", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var numWarmups = new Option<int>("--num-warmups") { Description = "unmeasured requests sent first", DefaultValueFactory = _ => 0 };
        var goodput = new Option<string[]>("--goodput") { Description = "SLOs for goodput: ttft:MS tpot:MS e2el:MS", AllowMultipleArgumentsPerToken = true };
        var resultFile = new Option<string?>("--result-file") { Description = "write the results as JSON here" };
        var chartFile = new Option<string?>("--chart-file") { Description = "PNG of latency against load for a sweep (default: beside the result file)" };
        var timeout = new Option<int>("--timeout") { Description = "seconds one request may take", DefaultValueFactory = _ => 600 };
        var command = new Command("bench", "Serving benchmark against an OpenAI-compatible server (TTFT, TPOT, ITL, E2E, throughput, goodput)")
        {
            url, model, endpoint, dataset, inputLen, outputLen, rangeRatio, temperature, stopTokenIds, requestRate, maxConcurrency, numPrompts, seed, numWarmups,
            goodput, resultFile, chartFile, timeout,
        };
        command.SetAction(async (result, cancel) =>
        {
            BenchOptions options;
            try
            {
                options = new BenchOptions
                {
                    BaseUrl = new Uri(result.GetValue(url)!, UriKind.Absolute),
                    Model = result.GetValue(model)!,
                    Endpoint = result.GetValue(endpoint)!,
                    Dataset = result.GetValue(dataset)!,
                    InputLength = result.GetValue(inputLen),
                    OutputLength = result.GetValue(outputLen),
                    RangeRatio = result.GetValue(rangeRatio),
                    Sampling = new BenchSampling(result.GetValue(temperature), BenchSampling.ParseIds(result.GetValue(stopTokenIds))),
                    RequestRates = result.GetValue(requestRate)!
                        .SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries))
                        .Select(ArrivalSchedule.ParseRate)
                        .ToArray(),
                    MaxConcurrency = result.GetValue(maxConcurrency),
                    NumPrompts = result.GetValue(numPrompts),
                    Seed = result.GetValue(seed),
                    NumWarmups = result.GetValue(numWarmups),
                    Goodput = Slo.Parse(result.GetValue(goodput) ?? []),
                    RequestTimeout = TimeSpan.FromSeconds(result.GetValue(timeout)),
                }.Validated();
            }
            catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
            {
                Console.Error.WriteLine($"bench: {e.Message}");
                return 2;
            }

            using var http = new HttpClient { Timeout = options.RequestTimeout };
            ApiKeyHeader.Apply(http);
            var results = await new BenchmarkRunner(http, options).RunAsync(Console.Error.WriteLine, cancel);
            foreach (var run in results)
                Console.WriteLine(SummaryTable.Format(run));
            string? resultPath = result.GetValue(resultFile);
            if (resultPath is not null)
            {
                ResultFile.Write(resultPath, options, results);
                Console.Error.WriteLine($"results: {resultPath}");
            }
            if (results.Count > 1)
            {
                string chart = result.GetValue(chartFile) ?? (resultPath is not null ? Path.ChangeExtension(resultPath, ".png") : "bench-latency.png");
                LatencyChart.Write(chart, results);
                Console.Error.WriteLine($"chart: {chart}");
            }
            // Every request failing is a failed benchmark, not a result.
            return results.All(r => r.Metrics.Completed == 0) ? 1 : 0;
        });
        return command;
    }
}
