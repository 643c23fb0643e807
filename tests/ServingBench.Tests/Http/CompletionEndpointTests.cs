using System.Text.Json.Nodes;
using Cluster.ServingBench.Http;

namespace Cluster.ServingBench.Tests.Http;

public sealed class CompletionEndpointTests
{
    [Fact]
    public void Body_ByDefault_IsGreedyWithNoSeedAndNoStopIds()
    {
        var body = JsonNode.Parse(new CompletionEndpoint("/v1/completions").Body("m", "hi", 16, seed: 7))!;

        Assert.Equal(0, body["temperature"]!.GetValue<float>());
        Assert.Null(body["seed"]);
        Assert.Null(body["stop_token_ids"]);
        Assert.Equal(16, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Body_WhenSampling_SendsTheRequestsSeedAndTheStopIds()
    {
        var endpoint = new CompletionEndpoint("/v1/completions", new BenchSampling(1, BenchSampling.ParseIds("5,100-102")));

        var body = JsonNode.Parse(endpoint.Body("m", "hi", 16, seed: 7))!;

        Assert.Equal(1, body["temperature"]!.GetValue<float>());
        Assert.Equal(7, body["seed"]!.GetValue<int>());
        Assert.Equal([5, 100, 101, 102], body["stop_token_ids"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("5-3")]
    [InlineData("-1")]
    [InlineData("1-2-3")]
    public void ParseIds_WhenNotIdsOrRanges_FailsNamingThePart(string text)
    {
        var error = Assert.Throws<FormatException>(() => BenchSampling.ParseIds(text));

        Assert.Contains("--stop-token-ids", error.Message);
    }
}
