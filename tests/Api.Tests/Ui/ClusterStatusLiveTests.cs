using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Ui;

/// <summary>The live figures of <c>/v1/cluster/status</c> (shared by the page and <c>status --json</c>) follow what was served.</summary>
public sealed class ClusterStatusLiveTests(PipelineSiloServer server) : IClassFixture<PipelineSiloServer>
{
    [SharedModelFact]
    public async Task Status_AfterACompletion_GivesEveryStagesRecentFiguresAndTheTokensGenerated()
    {
        var before = await StatusAsync();
        long generatedBefore = LastStage(before)["live"]!["serving"]!["generated_tokens"]!.GetValue<long>();
        const int maxTokens = 12;
        using (var response = await server.Http.PostAsJsonAsync("/v1/completions", new JsonObject
        {
            ["model"] = SiloServer.Model, ["prompt"] = "Once upon a time", ["max_tokens"] = maxTokens, ["temperature"] = 0, ["ignore_eos"] = true,
        }))
        {
            response.EnsureSuccessStatusCode();
        }

        var after = await StatusAsync();
        var stages = after["stages"]!.AsArray();
        Assert.Equal(PipelineSiloServer.StageCount, stages.Count);
        foreach (var stage in stages)
        {
            var live = stage!["live"]!;
            Assert.Equal("serving", (string)stage["state"]!);
            Assert.True(live["forward_ms"]!.GetValue<double>() > 0, stage.ToJsonString());
            Assert.True(live["batch_size"]!.GetValue<double>() >= 1, stage.ToJsonString());
            Assert.NotNull(live["hop_to_next_ms"]);
            Assert.Equal(stage["page_count"]!.GetValue<int>(), live["pages_used"]!.GetValue<int>() + live["pages_free"]!.GetValue<int>());
        }
        Assert.Null(stages[0]!["live"]!["serving"]);
        var serving = LastStage(after)["live"]!["serving"]!;
        Assert.Equal(generatedBefore + maxTokens, serving["generated_tokens"]!.GetValue<long>());
        Assert.True(serving["ttft_ms"]!.GetValue<double>() > 0);
        Assert.True(serving["tpot_ms"]!.GetValue<double>() > 0);
        Assert.Empty(after["lost_stages"]!.AsArray());
    }

    [SharedModelFact]
    public async Task Status_AfterAFewSeconds_HasAServingHistoryInTimeOrder()
    {
        JsonArray history;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(500);
            history = (await StatusAsync())["history"]!.AsArray();
        }
        while (history.Count < 2 && DateTime.UtcNow < deadline);

        Assert.True(history.Count >= 2, "the history gained no two points in 20 s");
        var times = history.Select(p => DateTimeOffset.Parse((string)p!["at"]!)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(history, p => Assert.True(p!["tokens_per_s"]!.GetValue<double>() >= 0));
    }

    private async Task<JsonNode> StatusAsync() => JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;

    private static JsonNode LastStage(JsonNode status) => status["stages"]!.AsArray()[^1]!;
}
