using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.ServingBench.Running;

namespace Cluster.ServingBench.Reporting;

/// <summary>The JSON written by <c>--result-file</c>: the settings and one entry per request rate.</summary>
public static class ResultFile
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static void Write(string path, BenchOptions options, IReadOnlyList<RateResult> results)
    {
        var document = new
        {
            date = DateTimeOffset.UtcNow.ToString("O"),
            url = options.RequestUri.ToString(),
            model = options.Model,
            dataset = options.Dataset,
            input_len = options.InputLength,
            output_len = options.OutputLength,
            range_ratio = options.RangeRatio,
            temperature = options.Sampling.Temperature,
            stop_token_ids = options.Sampling.StopTokenIds,
            num_prompts = options.NumPrompts,
            seed = options.Seed,
            num_warmups = options.NumWarmups,
            goodput_slo = options.Goodput,
            runs = results,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
    }
}
