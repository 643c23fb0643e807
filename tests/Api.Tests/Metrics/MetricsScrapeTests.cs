using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Metrics;

/// <summary>A real silo under load exposes every catalogued metric, with values that add up.</summary>
public sealed class MetricsScrapeTests(SiloServer server) : IClassFixture<SiloServer>
{
    [SharedModelFact]
    public async Task Metrics_WhenSiloServedRequests_ExposesEveryCataloguedMetricWithConsistentValues()
    {
        string before = await server.Http.GetStringAsync("/metrics");
        const int rounds = 3;
        int streamedTokens = 0;
        for (int round = 0; round < rounds; round++) // as many at once as the fixture's admission limit lets in
            streamedTokens += (await Task.WhenAll(Enumerable.Range(0, SiloServer.MaxConcurrent).Select(i => CompleteAsync(stream: i == 0, maxTokens: 8 + round + i)))).Sum();
        int requests = rounds * SiloServer.MaxConcurrent;

        string scrape = await server.Http.GetStringAsync("/metrics");
        double Delta(string series, string? label = null) => Sum(scrape, series, label) - Sum(before, series, label);

        var missing = MetricCatalog.Load().Entries
            .Where(m => !scrape.Contains($"\n{m.PrometheusName}{(m.Type == "histogram" ? "_bucket" : "")}{{", StringComparison.Ordinal))
            .Select(m => m.PrometheusName).ToList();
        Assert.True(missing.Count == 0, $"not exposed: {string.Join(", ", missing)}");
        Assert.Equal(streamedTokens, Delta("cluster_generation_tokens_total"));
        Assert.Equal(requests, Delta("cluster_requests_finished_total", "finished_reason=\"length\""));
        Assert.Equal(requests, Delta("gen_ai_server_request_duration_seconds_count"));
        Assert.Equal(requests, Delta("gen_ai_server_time_to_first_token_seconds_count"));
        Assert.Equal(streamedTokens, Delta("gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\""));
        Assert.Equal(0, Sum(scrape, "cluster_requests_running"));
        Assert.Equal(0, Sum(scrape, "cluster_stage_pages_used"));
        Assert.True(Sum(scrape, "cluster_stage_batch_size_count") > 0);
        Assert.Contains("orleans_", scrape, StringComparison.Ordinal);
    }

    [SharedModelFact]
    public async Task Metrics_WhenScraped_PassPromtoolCheck()
    {
        await CompleteAsync(stream: true, maxTokens: 4);
        string scrape = await server.Http.GetStringAsync("/metrics");
        if (!OnPath("promtool"))
        {
            Assert.False(SharedModels.RequiredByCi, "promtool is not on PATH (Debian package prometheus); CI must have it");
            return;
        }
        var check = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(check)!;
        await process.StandardInput.WriteAsync(scrape);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check metrics failed:\n{output}");
    }

    /// <summary>Runs one completion; returns the completion tokens the client received.</summary>
    private async Task<int> CompleteAsync(bool stream, int maxTokens)
    {
        var body = new JsonObject { ["model"] = SiloServer.Model, ["prompt"] = "Once upon a time", ["max_tokens"] = maxTokens, ["temperature"] = 0 };
        if (!stream)
        {
            using var response = await server.Http.PostAsJsonAsync("/v1/completions", body);
            response.EnsureSuccessStatusCode();
            var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            return json["usage"]!["completion_tokens"]!.GetValue<int>();
        }
        body["stream"] = true;
        body["stream_options"] = new JsonObject { ["include_usage"] = true };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = JsonContent.Create(body) };
        using var streamed = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        streamed.EnsureSuccessStatusCode();
        int tokens = 0;
        using var reader = new StreamReader(await streamed.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal)) continue;
            if (JsonNode.Parse(line["data: ".Length..])!["usage"] is JsonObject usage) tokens = usage["completion_tokens"]!.GetValue<int>();
        }
        return tokens;
    }

    /// <summary>Sums a series' samples over all label sets (optionally only those containing <paramref name="label"/>).</summary>
    private static double Sum(string scrape, string series, string? label = null) => scrape.Split('\n')
        .Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal))
        .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
        .Sum(Value);

    /// <summary>The sample value of an exposition line: <c>name{labels} value [timestamp]</c>.</summary>
    private static double Value(string line)
    {
        string rest = line[(line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ', StringComparison.Ordinal))..].Trim();
        return double.Parse(rest.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, command)));
}
