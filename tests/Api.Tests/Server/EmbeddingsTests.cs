using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using OpenAI;
using OpenAI.Embeddings;

namespace Cluster.Api.Tests.Server;

/// <summary>
/// <c>POST /v1/embeddings</c> of a real silo serving all-MiniLM-L6-v2 in one and in two stage
/// grains, called by the OpenAI SDK and by plain HTTP, against the reference package's embeddings
/// of the same sentences (<see cref="MiniLmReference"/>).
/// </summary>
public abstract class EmbeddingsTests<TServer>(TServer server) : IClassFixture<TServer> where TServer : EmbeddingSiloServer
{
    private const string Model = EmbeddingSiloServer.EmbeddingModel;

    private static readonly string[] Sentences = MiniLmReference.Sentences;

    private EmbeddingClient Client => new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "/v1") })
        .GetEmbeddingClient(Model);

    [SharedModelFact]
    public async Task OpenAiSdk_Batched_MatchesTheReference()
    {
        var result = await Client.GenerateEmbeddingsAsync(Sentences);
        Assert.Equal(Sentences.Length, result.Value.Count);
        for (int i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(i, result.Value[i].Index);
            AssertClose(MiniLmReference.Embedding(i), result.Value[i].ToFloats().ToArray(), Sentences[i]);
        }
        Assert.True(result.Value.Usage.InputTokenCount > Sentences.Length * 2);
    }

    [SharedModelFact]
    public async Task ConcurrentCallers_EachAlone_MatchTheReference()
    {
        var answers = await Task.WhenAll(Sentences.Select(s => Client.GenerateEmbeddingAsync(s)));
        for (int i = 0; i < Sentences.Length; i++) AssertClose(MiniLmReference.Embedding(i), answers[i].Value.ToFloats().ToArray(), Sentences[i]);
    }

    [SharedModelFact]
    public async Task FloatAndBase64_AndTokenIds_GiveTheSameVector()
    {
        var asFloats = await PostAsync(new { model = Model, input = "hello world", encoding_format = "float" });
        var floats = asFloats["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        var asBase64 = await PostAsync(new { model = Model, input = new[] { "hello world" }, encoding_format = "base64" });
        var decoded = new float[floats.Length];
        Buffer.BlockCopy(Convert.FromBase64String(asBase64["data"]![0]!["embedding"]!.GetValue<string>()), 0, decoded, 0, decoded.Length * sizeof(float));
        Assert.Equal(floats, decoded);
        // "hello world" is [CLS] hello world [SEP] = 101 7592 2088 102; ids are framed the same way.
        var asIds = await PostAsync(new { model = Model, input = new[] { 7592, 2088 } });
        var fromIds = asIds["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
        AssertClose(floats, fromIds, "token ids of hello world");
        Assert.Equal(4, asFloats["usage"]!["prompt_tokens"]!.GetValue<int>());
        AssertClose(MiniLmReference.Embedding(0), floats, "hello world");
    }

    [SharedModelFact]
    public async Task BadRequests_Get400Or404NamingTheProblem()
    {
        await AssertErrorAsync(new { model = Model, input = "" }, HttpStatusCode.BadRequest, "empty string");
        await AssertErrorAsync(new { model = Model, input = Array.Empty<string>() }, HttpStatusCode.BadRequest, "empty list");
        await AssertErrorAsync(new { model = Model }, HttpStatusCode.BadRequest, "'input' is required");
        await AssertErrorAsync(new { model = "nope", input = "x" }, HttpStatusCode.NotFound, "does not exist");
        await AssertErrorAsync(new { model = SiloServer.Model, input = "x" }, HttpStatusCode.NotFound, "does not make embeddings");
        await AssertErrorAsync(new { model = Model, input = "x", dimensions = 128 }, HttpStatusCode.BadRequest, "cannot shorten");
        await AssertErrorAsync(new { model = Model, input = "x", encoding_format = "int8" }, HttpStatusCode.BadRequest, "encoding_format");
        await AssertErrorAsync(new { model = Model, input = new[] { 7592, 40000 } }, HttpStatusCode.BadRequest, "token id");
        var tooLong = string.Join(' ', Enumerable.Repeat("token", 600));
        await AssertErrorAsync(new { model = Model, input = tooLong }, HttpStatusCode.BadRequest, "truncate");
        var truncated = await PostAsync(new { model = Model, input = tooLong, truncate = true });
        Assert.Equal(512, truncated["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [SharedModelFact]
    public async Task Models_ListsBothWithTheirKind()
    {
        var models = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!["data"]!.AsArray();
        Assert.Equal("generation", models.Single(m => m!["id"]!.GetValue<string>() == SiloServer.Model)!["kind"]!.GetValue<string>());
        var embedding = models.Single(m => m!["id"]!.GetValue<string>() == Model)!;
        Assert.Equal("embedding", embedding["kind"]!.GetValue<string>());
        Assert.Equal(384, embedding["dimensions"]!.GetValue<int>());
        Assert.Contains($"in {server.EmbeddingStages} stage", embedding["description"]!.GetValue<string>());
    }

    private async Task<JsonNode> PostAsync(object body)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task AssertErrorAsync(object body, HttpStatusCode status, string message)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{JsonSerializer.Serialize(body)[..Math.Min(80, JsonSerializer.Serialize(body).Length)]}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Contains(message, JsonNode.Parse(text)!["error"]!["message"]!.GetValue<string>());
    }

    private static void AssertClose(float[] expected, float[] actual, string sentence) => MiniLmReference.AssertClose(expected, actual, sentence);
}
