using System.CommandLine;
using System.Text.Json;
using Cluster.ServingBench.Tests.Support;

namespace Cluster.ServingBench.Tests.EndToEnd;

/// <summary>
/// <c>bench</c> run through its command line against <see cref="FakeOpenAiSseServer"/>, a test
/// double for the OpenAI HTTP/SSE protocol (the silo's own API is tested elsewhere).
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-tests-").FullName;

    private static Task<int> Bench(params string[] args) => new RootCommand { BenchCommand.Create() }.Parse(["bench", .. args]).InvokeAsync();

    [Fact]
    public async Task Bench_WhenRateSweep_WritesResultsForEachRateAndAChart()
    {
        await using var server = new FakeOpenAiSseServer(TimeSpan.FromMilliseconds(5));
        string resultPath = Path.Combine(_dir, "result.json");

        int exit = await Bench("--url", server.BaseUrl.ToString(), "--model", "m", "--dataset", "fixed", "--input-len", "12", "--output-len", "4",
            "--num-prompts", "6", "--request-rate", "inf,50", "--num-warmups", "1", "--goodput", "ttft:60000", "tpot:60000", "--result-file", resultPath);

        Assert.Equal(0, exit);
        Assert.Equal(1 + 6 * 2, server.Requests);
        using var json = JsonDocument.Parse(File.ReadAllText(resultPath));
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["inf", "50"], runs.Select(r => r.GetProperty("request_rate").GetString()));
        foreach (var run in runs)
        {
            var metrics = run.GetProperty("metrics");
            Assert.Equal(6, metrics.GetProperty("completed").GetInt32());
            Assert.Equal(24, metrics.GetProperty("total_output_tokens").GetInt32());
            Assert.Equal(72, metrics.GetProperty("total_input_tokens").GetInt32()); // the double's usage: 12 words each
            Assert.True(metrics.GetProperty("ttft").GetProperty("median_ms").GetDouble() >= 4);
            Assert.Equal(6 * 3, metrics.GetProperty("itl").GetProperty("count").GetInt32());
            Assert.True(metrics.GetProperty("tpot").GetProperty("mean_ms").GetDouble() >= 4);
            Assert.Equal(metrics.GetProperty("request_throughput").GetDouble(), metrics.GetProperty("request_goodput").GetDouble(), precision: 9);
        }
        byte[] png = File.ReadAllBytes(Path.ChangeExtension(resultPath, ".png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task Bench_WhenMaxConcurrencyOne_ServerNeverSeesTwoRequestsAtOnce()
    {
        await using var server = new FakeOpenAiSseServer(TimeSpan.FromMilliseconds(2), reportUsage: false);
        string resultPath = Path.Combine(_dir, "serial.json");

        int exit = await Bench("--url", server.BaseUrl.ToString(), "--model", "m", "--output-len", "3", "--range-ratio", "0.5",
            "--num-prompts", "5", "--max-concurrency", "1", "--result-file", resultPath);

        Assert.Equal(0, exit);
        Assert.Equal(1, server.MaxInFlight);
        using var json = JsonDocument.Parse(File.ReadAllText(resultPath));
        var metrics = json.RootElement.GetProperty("runs")[0].GetProperty("metrics");
        // Without usage, output tokens are the streamed chunks: the max_tokens the double was sent.
        Assert.Equal(server.MaxTokens.Sum(), metrics.GetProperty("total_output_tokens").GetInt32());
        Assert.False(File.Exists(Path.ChangeExtension(resultPath, ".png"))); // one rate: no chart
    }

    [Fact]
    public async Task Bench_WhenEndpointIsWrong_FailsAndRecordsTheHttpError()
    {
        await using var server = new FakeOpenAiSseServer(TimeSpan.Zero);
        string resultPath = Path.Combine(_dir, "failed.json");

        int exit = await Bench("--url", server.BaseUrl.ToString(), "--model", "m", "--endpoint", "/v1/nothing", "--num-prompts", "2",
            "--result-file", resultPath);

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(File.ReadAllText(resultPath));
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal(2, run.GetProperty("metrics").GetProperty("failed").GetInt32());
        Assert.Contains("HTTP 404", run.GetProperty("errors")[0].GetString());
    }

    [Fact]
    public async Task Bench_WhenGoodputItemMalformed_ExitsWithUsageError()
    {
        Assert.Equal(2, await Bench("--url", "http://127.0.0.1:9", "--model", "m", "--goodput", "ttft=5"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
