using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Browser;
using Cluster.TestSupport.Browser;
using Cluster.Api.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Api.Tests.Ui;

/// <summary>
/// The live page in a real browser against a real two-stage silo: what a person would see, read
/// off the drawn page (not its JSON), with a screenshot taken under load kept beside the test output.
/// </summary>
public sealed class ClusterPageTests(PipelineSiloServer server, ITestOutputHelper output) : IClassFixture<PipelineSiloServer>
{
    private const string StagesScript =
        "[...document.querySelectorAll('#pipelines .stage')].map(s => ({ key: s.dataset.key, state: s.dataset.state, " +
        "layers: s.querySelector('.layers').textContent, passes: Number(s.querySelector('[data-figure=batches]')?.textContent ?? -1), " +
        "batch: s.querySelector('[data-figure=batch_size]')?.textContent ?? '', busy: s.querySelector('[data-figure=busy_fraction]')?.textContent ?? '' }))";

    [ChromiumFact]
    public async Task Page_WhenOpenedUnderLoad_DrawsEveryStageWithItsLayersAndFiguresThatChange()
    {
        var status = JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;
        var expected = status["stages"]!.AsArray().Select(s => (Key: (string)s!["key"]!, Layers: $"layers {s["first_layer"]}-{s["last_layer"]}")).ToList();
        Assert.Equal(PipelineSiloServer.StageCount, expected.Count);

        await using var browser = await HeadlessChromium.StartAsync();
        await using var page = await browser.OpenPageAsync();
        await page.NavigateAsync(server.BaseAddress);
        await page.WaitUntilAsync("Number(document.body.dataset.polls) >= 1", TimeSpan.FromSeconds(20));

        var idle = (await page.EvaluateAsync(StagesScript))!.AsArray();
        Assert.Equal(expected.Select(e => e.Key), idle.Select(s => (string)s!["key"]!));
        Assert.Equal(expected.Select(e => e.Layers), idle.Select(s => (string)s!["layers"]!));
        Assert.All(idle, s => Assert.Equal("serving", (string)s!["state"]!));
        var passesBefore = idle.Select(s => (double)s!["passes"]!).ToList();

        await using var load = new LoadGenerator(server.Http, streams: 6, maxTokens: 200);
        // The page redraws every second and the serving history gains a point every 2 s.
        await page.WaitUntilAsync(
            "Number(document.querySelector('#serving [data-figure=tokens_per_s]').textContent) > 0 && " +
            "Number(document.querySelector('#serving [data-figure=running]').textContent) > 0 && " +
            "Number(document.querySelector('svg.chart[data-series=tokens_per_s]').dataset.points) >= 2 && " +
            "document.querySelector('svg.chart[data-series=tokens_per_s] path') !== null",
            TimeSpan.FromSeconds(60));
        await page.WaitUntilAsync(
            $"(() => {{ const s = {StagesScript}; return s.every((x, i) => x.passes > [{string.Join(",", passesBefore.Select(p => p.ToString(CultureInfo.InvariantCulture)))}][i] && x.batch !== '–'); }})()",
            TimeSpan.FromSeconds(30));
        var loaded = (await page.EvaluateAsync(StagesScript))!.AsArray();
        output.WriteLine($"under load: {loaded.ToJsonString()}");

        string shot = SaveScreenshot(await page.ScreenshotAsync(), "cluster-page-under-load.png");
        output.WriteLine($"screenshot: {shot}");
        Assert.Empty(page.ScriptErrors);
    }

    [ChromiumFact]
    public async Task Playground_WhenGreedy_StreamsTheTextTheApiGivesGreedily()
    {
        const string prompt = "Once upon a time, there was a little dog";
        const int maxTokens = 48;
        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = SiloServer.Model, ["prompt"] = prompt, ["max_tokens"] = maxTokens, ["temperature"] = 0,
        });
        response.EnsureSuccessStatusCode();
        string greedy = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["text"]!;
        Assert.NotEmpty(greedy);

        await using var browser = await HeadlessChromium.StartAsync();
        await using var page = await browser.OpenPageAsync();
        await page.NavigateAsync(server.BaseAddress);
        await page.WaitUntilAsync("Number(document.body.dataset.polls) >= 1", TimeSpan.FromSeconds(20));
        await page.EvaluateAsync(
            $"document.getElementById('prompt').value = {JsonValue.Create(prompt).ToJsonString()}; " +
            $"document.getElementById('max-tokens').value = '{maxTokens}'; document.getElementById('temperature').value = '0'; " +
            "document.getElementById('send').click(); true");
        await page.WaitUntilAsync("document.getElementById('output').dataset.state === 'done'", TimeSpan.FromSeconds(60));

        string streamed = (string)(await page.EvaluateAsync("document.getElementById('output').textContent"))!;
        Assert.Equal(greedy, streamed);
        Assert.Contains("finish: length", (string)(await page.EvaluateAsync("document.getElementById('output-info').textContent"))!);
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>Writes the PNG under the test output (the artifact CI keeps); returns its path.</summary>
    private static string SaveScreenshot(byte[] png, string name)
    {
        Assert.True(png.Length > 1000 && png[0] == 0x89 && png[1] == (byte)'P', "the screenshot is not a PNG");
        var directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts")).FullName;
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, png);
        return path;
    }
}
