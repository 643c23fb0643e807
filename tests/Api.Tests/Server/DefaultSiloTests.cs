using System.ClientModel;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Cluster.Api.Tests.Server;

/// <summary>A silo started with no options at all serves the embedded default decoder: listed as such, generating, with a whole pipeline and no embedding model.</summary>
public sealed class DefaultSiloTests(EmbeddedSiloServer server) : IClassFixture<EmbeddedSiloServer>
{
    [Fact]
    public async Task Models_ListTheEmbeddedDefaultDecoderAlone()
    {
        var models = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray();

        var only = Assert.Single(models)!;
        Assert.Equal("generation", only["kind"]!.GetValue<string>());
        Assert.True(only["embedded_default"]!.GetValue<bool>());
        Assert.Equal("embedded-default", only["owned_by"]!.GetValue<string>());
        Assert.Contains("No --model given: serving the embedded default", server.Log);
    }

    [Fact]
    public async Task Chat_ThroughTheOpenAiSdk_Generates()
    {
        var models = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray();
        var client = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") })
            .GetChatClient(models[0]!["id"]!.GetValue<string>());

        var answer = await client.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 5, Temperature = 0 });

        Assert.InRange(answer.Value.Usage.OutputTokenCount, 1, 5);
    }

    [Fact]
    public async Task ClusterStatus_HasACompletePlanAndNoEmbeddingModel()
    {
        var status = JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;

        Assert.True(status["plan"]!["complete"]!.GetValue<bool>());
        Assert.NotEmpty(status["stages"]!.AsArray());
        Assert.Null(status["embedding_model"]);
    }
}
