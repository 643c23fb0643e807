using System.Diagnostics;
using System.Text.Json.Nodes;
using Cluster.TestSupport.Browser;
using Cluster.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tests.Reliability;

/// <summary>
/// What the live page and <c>status</c> read while a silo dies: a surviving silo's
/// <c>/v1/cluster/status</c> keeps answering, shows the dead silo's stage as lost, then on the
/// spare that took its layers over, and names the loss and its replacement; the live page open on
/// the survivor in headless Chromium goes on updating and ends showing the same.
/// </summary>
public sealed class LostStageStatusTests(ITestOutputHelper output)
{
    private static readonly string[] Options = ["--kv-cache-mb", "4", "--stall-check", "0.5", "--page-lease", "8", "--probe-timeout", "1"];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [RedisFact]
    public async Task Status_WhenAMiddleStageSiloIsKilled_ShowsTheStageLostThenReplacedOnTheSpare()
    {
        await using var cluster = await SpareCluster.StartAsync(spares: 1, Options);
        var survivor = cluster.Silos[2];
        using var http = new HttpClient { BaseAddress = survivor.Http ?? throw new InvalidOperationException("the silo named no HTTP address"), Timeout = TimeSpan.FromSeconds(10) };
        const string key = SpareCluster.Model + "/0/1";
        var before = Stage(await StatusAsync(http), key);
        Assert.Equal("serving", (string)before["state"]!);
        string victimSilo = (string)before["silo"]!;
        await using var browser = await OpenPageAsync(survivor.Http);

        cluster.Silos[1].KillHard();
        var clock = Stopwatch.StartNew();
        var seen = new List<string>();
        JsonNode status;
        JsonNode stage;
        while (true)
        {
            // Every reading must answer: a dead stage may cost it its deadline, never the whole answer.
            var reading = Stopwatch.StartNew();
            status = await StatusAsync(http);
            Assert.True(reading.Elapsed < TimeSpan.FromSeconds(5), $"a reading took {reading.Elapsed.TotalSeconds:0.0} s");
            stage = Stage(status, key);
            string state = (string)stage["state"]!;
            if (seen.Count == 0 || seen[^1] != state) seen.Add(state);
            Assert.All(status["stages"]!.AsArray().Where(s => (string)s!["key"]! != key), s => Assert.Equal("serving", (string)s!["state"]!));
            if (state == "serving" && (string)stage["silo"]! != victimSilo) break;
            Assert.True(clock.Elapsed < Bound, $"stage {key} was not re-placed within {Bound.TotalSeconds} s (states {string.Join(" > ", seen)}):\n{cluster.Logs}");
            await Task.Delay(250);
        }
        output.WriteLine($"states after the kill: {string.Join(" > ", seen)}; re-placed after {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal("lost", seen[0]);
        Assert.Equal(2, stage["first_layer"]!.GetValue<int>());
        Assert.Equal(3, stage["last_layer"]!.GetValue<int>());
        string replacement = (string)stage["silo"]!;
        var loss = Assert.Single(status["lost_stages"]!.AsArray(), l => (string)l!["key"]! == key)!;
        Assert.Equal(victimSilo, (string)loss["silo"]!);
        Assert.Equal(replacement, (string)loss["replaced_by"]!);
        Assert.Equal("2-3", (string)loss["layers"]!);
        Assert.Equal(victimSilo, (string)stage["loss"]!["silo"]!);
        Assert.DoesNotContain(victimSilo, status["silos"]!.AsArray().Select(s => (string)s!));

        if (browser is null) return;
        var page = browser.Value.Page;
        await page.WaitUntilAsync(
            $"document.querySelector('.stage[data-key=\"{key}\"]')?.dataset.state === 'serving' && " +
            $"document.querySelector('.stage[data-key=\"{key}\"] .replaced') !== null && " +
            $"(document.querySelector('#losses li[data-key=\"{key}\"]')?.textContent ?? '').includes('re-placed on') && " +
            "document.getElementById('connection').dataset.state === 'live'",
            TimeSpan.FromSeconds(20));
        Assert.Equal(3, (await page.EvaluateAsync("document.querySelectorAll('#pipelines .stage').length"))!.GetValue<int>());
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>
    /// The page on <paramref name="silo"/>, drawn once; null (the browser half skipped) where
    /// Chromium is not installed, except under CI, where it must be.
    /// </summary>
    private async Task<OpenPage?> OpenPageAsync(Uri? silo)
    {
        if (HeadlessChromium.Executable is null && !Ci.IsCi)
        {
            output.WriteLine("chromium is not installed: the page is not checked");
            return null;
        }
        var browser = await HeadlessChromium.StartAsync();
        var page = await browser.OpenPageAsync();
        await page.NavigateAsync(silo!);
        await page.WaitUntilAsync("document.querySelectorAll('#pipelines .stage[data-state=serving]').length === 3", TimeSpan.FromSeconds(20));
        return new OpenPage(browser, page);
    }

    private readonly record struct OpenPage(HeadlessChromium Browser, DevToolsPage Page) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Page.DisposeAsync();
            await Browser.DisposeAsync();
        }
    }

    private static async Task<JsonNode> StatusAsync(HttpClient http) => JsonNode.Parse(await http.GetStringAsync("/v1/cluster/status"))!;

    private static JsonNode Stage(JsonNode status, string key) =>
        status["stages"]!.AsArray().Single(s => (string)s!["key"]! == key)!;
}
