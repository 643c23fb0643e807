using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Server;

/// <summary><c>--max-model-len</c> above the model's trained context: served, announced, warned about, and enforced.</summary>
public sealed class MaxModelLenTests(LongContextSiloServer server) : IClassFixture<LongContextSiloServer>
{
    [SharedModelFact]
    public async Task Models_WhenMaxModelLenIsSet_ReportsItAsTheContextWindowAndWarns()
    {
        var models = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!;

        Assert.Equal(LongContextSiloServer.MaxModelLen, models["data"]![0]!["context_window"]!.GetValue<int>());
        Assert.Contains("--max-model-len 1024 is above the 512 tokens", server.Log);
    }

    [SharedModelFact]
    public async Task Completions_WhenPromptIsPastTheTrainedContext_AreServedUpToMaxModelLen()
    {
        // 700 prompt tokens: past stories260K's 512, inside the 1024 served.
        var prompt = Enumerable.Range(0, 700).Select(i => 1 + i % 500).ToArray();

        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new { model = SiloServer.Model, prompt, max_tokens = 8, temperature = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(700, body["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(8, body["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [SharedModelFact]
    public async Task Completions_WhenPromptFillsMaxModelLen_AreRefusedWithContextLengthExceeded()
    {
        var prompt = Enumerable.Range(0, LongContextSiloServer.MaxModelLen).Select(i => 1 + i % 500).ToArray();

        using var response = await server.Http.PostAsJsonAsync("/v1/completions", new { model = SiloServer.Model, prompt, max_tokens = 8 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        Assert.Contains("1024", error["message"]!.GetValue<string>());
    }
}
