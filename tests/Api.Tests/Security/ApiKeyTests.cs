using System.ClientModel;
using System.Net;
using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Cluster.Api.Tests.Security;

/// <summary>
/// API keys through the HTTP API of real silos: every /v1 route refuses a missing or wrong key with
/// OpenAI's 401 body and serves either key (the command line's and the key file's); health and
/// readiness stay open; /metrics, the status endpoint and the live page follow their switches
/// (the keyed silo: metrics key, status open, page off; the deadline silo: the defaults, metrics
/// open, status and page behind the key).
/// </summary>
[Collection(HardenedSilos.Name)]
public sealed class ApiKeyTests(KeyedSiloServer keyed, DeadlineSiloServer defaults)
{
    private const string Wrong = "sk-wrong-key";
    private const string Right = KeyedSiloServer.CommandLineKey;
    private const string FromFile = KeyedSiloServer.FileKey;
    private const string DefaultsKey = DeadlineSiloServer.Key;

    public static TheoryData<string, string, string, string?, int> Cases => new()
    {
        // The OpenAI API: every /v1 route needs a key.
        { "keyed", "GET", "/v1/models", null, 401 },
        { "keyed", "GET", "/v1/models", Wrong, 401 },
        { "keyed", "GET", "/v1/models", Right, 200 },
        { "keyed", "GET", "/v1/models", FromFile, 200 },
        { "keyed", "POST", "/v1/completions", null, 401 },
        { "keyed", "POST", "/v1/completions", Wrong, 401 },
        { "keyed", "POST", "/v1/completions", Right, 200 },
        { "keyed", "POST", "/v1/chat/completions", null, 401 },
        { "keyed", "POST", "/v1/chat/completions", Wrong, 401 },
        { "keyed", "POST", "/v1/chat/completions", FromFile, 200 },
        // No embedding model: the key is checked before the route finds it has nothing to serve.
        { "keyed", "POST", "/v1/embeddings", null, 401 },
        { "keyed", "POST", "/v1/embeddings", Wrong, 401 },
        { "keyed", "GET", "/v1/no-such-route", null, 401 },
        // Probes carry no key.
        { "keyed", "GET", "/health", null, 200 },
        { "keyed", "GET", "/ready", null, 200 },
        { "keyed", "GET", "/health", Wrong, 200 },
        // --metrics-access key, --status-access open, --ui-access off.
        { "keyed", "GET", "/metrics", null, 401 },
        { "keyed", "GET", "/metrics", Wrong, 401 },
        { "keyed", "GET", "/metrics", Right, 200 },
        { "keyed", "GET", "/v1/cluster/status", null, 200 },
        { "keyed", "GET", "/v1/cluster/status", Wrong, 200 },
        { "keyed", "GET", "/", Right, 404 },
        { "keyed", "GET", "/ui", Right, 404 },
        { "keyed", "GET", "/ui/app.js", null, 404 },
        // The defaults: metrics open, the status endpoint and the page behind the key.
        { "defaults", "GET", "/metrics", null, 200 },
        { "defaults", "GET", "/v1/cluster/status", null, 401 },
        { "defaults", "GET", "/v1/cluster/status", Wrong, 401 },
        { "defaults", "GET", "/v1/cluster/status", DefaultsKey, 200 },
        { "defaults", "GET", "/", null, 401 },
        { "defaults", "GET", "/ui", DefaultsKey, 200 },
        { "defaults", "GET", "/v1/models", null, 401 },
        { "defaults", "GET", "/v1/models", DefaultsKey, 200 },
        { "defaults", "GET", "/ready", null, 200 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Request_ByRouteAndKey_IsAnsweredAsItsSwitchSays(string silo, string method, string path, string? key, int status)
    {
        var server = silo == "keyed" ? (SiloServer)keyed : defaults;
        var model = silo == "keyed" ? HttpCase.Model : DeadlineSiloServer.ModelId;
        using var response = await HttpCase.SendAsync(server.Http, method, path, key, HttpCase.BodyFor(method, path, model));
        Assert.True(status == (int)response.StatusCode, $"{method} {path} with {key ?? "no key"}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (status != 401) return;

        // OpenAI's shape, field for field; the key sent is not echoed.
        var body = await response.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(body)!["error"]!.AsObject();
        Assert.Equal(["message", "type", "param", "code"], error.Select(p => p.Key));
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Null(error["param"]);
        Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
        Assert.Contains(key is null ? "didn't provide an API key" : "Incorrect API key", error["message"]!.GetValue<string>());
        if (key is not null) Assert.DoesNotContain(key, body);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task OpenAiSdk_WithRightKey_Chats_AndWithWrongKey_Gets401()
    {
        var right = Chat(Right);
        ChatCompletion answer = await right.CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });
        Assert.NotNull(answer.Content);

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Chat(Wrong).CompleteChatAsync([new UserChatMessage("Hi")]));
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task Log_AfterRefusedAndServedKeys_NeverHoldsAKey()
    {
        using var _ = await HttpCase.SendAsync(keyed.Http, "GET", "/v1/models", Wrong);
        using var __ = await HttpCase.SendAsync(keyed.Http, "GET", "/v1/models", Right);
        Assert.DoesNotContain(Wrong, keyed.Log);
        Assert.DoesNotContain(Right, keyed.Log);
        Assert.DoesNotContain(FromFile, keyed.Log);
    }

    private ChatClient Chat(string key) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(keyed.BaseAddress, "/v1") }).GetChatClient(HttpCase.Model);
}
