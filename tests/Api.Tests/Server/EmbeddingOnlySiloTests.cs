using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Cluster.Api.Tests.Server;

/// <summary>
/// A real silo started with <c>--embedding-model</c> and no <c>--model</c>: it serves the encoder
/// alone (the same vectors as the reference package), lists it alone, is ready without any
/// decoder, refuses generation with a clear 404, and its status and live page still answer.
/// </summary>
public sealed class EmbeddingOnlySiloTests(EmbeddingOnlySiloServer server) : IClassFixture<EmbeddingOnlySiloServer>
{
    private const string Model = EmbeddingOnlySiloServer.EmbeddingModel;

    private OpenAIClient OpenAi => new(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") });

    [SharedModelFact]
    public async Task Embeddings_ThroughTheOpenAiSdk_MatchTheReference()
    {
        var result = await OpenAi.GetEmbeddingClient(Model).GenerateEmbeddingsAsync(MiniLmReference.Sentences);

        Assert.Equal(MiniLmReference.Sentences.Length, result.Value.Count);
        for (int i = 0; i < MiniLmReference.Sentences.Length; i++)
            MiniLmReference.AssertClose(MiniLmReference.Embedding(i), result.Value[i].ToFloats().ToArray(), MiniLmReference.Sentences[i]);
    }

    [SharedModelFact]
    public async Task Models_ListOnlyTheEmbeddingModel()
    {
        var models = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray();

        var only = Assert.Single(models)!;
        Assert.Equal(Model, only["id"]!.GetValue<string>());
        Assert.Equal("embedding", only["kind"]!.GetValue<string>());
        Assert.Contains($"in {EmbeddingOnlySiloServer.EmbeddingStages} stage", only["description"]!.GetValue<string>());
    }

    [SharedModelFact]
    public async Task Ready_WithNoGenerationModel()
    {
        using var ready = await server.Http.GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("SILO READY embedding-model=minilm embedding-stages=2 ", server.Log);
        Assert.DoesNotContain("embedded default", server.Log);
    }

    [SharedModelFact]
    public async Task Chat_ThroughTheOpenAiSdk_Is404SayingNoGenerationModelIsServed()
    {
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => OpenAi.GetChatClient("stories260k").CompleteChatAsync([new UserChatMessage("hello")]));

        Assert.Equal(404, refused.Status);
        Assert.Contains("this server serves no generation model", refused.Message);
        Assert.Contains($"'{Model}'", refused.Message);
    }

    [SharedModelTheory]
    [InlineData("/v1/completions", "{\"model\": \"stories260k\", \"prompt\": \"Once upon a time\"}", "does not exist")]
    [InlineData("/v1/completions", "{\"model\": \"minilm\", \"prompt\": \"Once upon a time\"}", "makes embeddings")]
    [InlineData("/v1/chat/completions", "{\"model\": \"minilm\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "makes embeddings")]
    public async Task Generation_WhateverTheModel_Is404ModelNotFound(string path, string body, string message)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>());
        Assert.Contains("this server serves no generation model", error["message"]!.GetValue<string>());
    }

    [SharedModelFact]
    public async Task ClusterStatus_HasNoPlanAndNamesTheEncoderStages()
    {
        var status = JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;

        Assert.Null(status["model"]);
        Assert.Null(status["plan"]);
        Assert.Empty(status["stages"]!.AsArray());
        var embedding = status["embedding_model"]!;
        Assert.Equal(Model, embedding["id"]!.GetValue<string>());
        Assert.Equal(["minilm/0", "minilm/1"], embedding["stages"]!.AsArray().Select(s => s!["key"]!.GetValue<string>()));
        Assert.Equal(5, embedding["stages"]![1]!["last_layer"]!.GetValue<int>());
    }

    [SharedModelFact]
    public async Task LivePage_Answers()
    {
        using var page = await server.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var embeddings = await server.Http.PostAsJsonAsync("/v1/embeddings", new { model = Model, input = "still serving" });
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
    }
}
