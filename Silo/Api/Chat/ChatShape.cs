using System.Text.Json.Nodes;
using Cluster.Silo.Api.Generation;

namespace Cluster.Silo.Api.Chat;

/// <summary>OpenAI's <c>chat.completion</c> and <c>chat.completion.chunk</c> objects, with chat-style logprobs.</summary>
public sealed class ChatShape(string model, bool logprobs) : IResponseShape
{
    public string Operation => "chat";

    private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public JsonObject Whole(string text, IReadOnlyList<TokenLogprobs> tokens, string finishReason, JsonObject usage) =>
        Envelope("chat.completion", new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text, ["refusal"] = null },
            ["logprobs"] = logprobs ? Logprobs(tokens) : null,
            ["finish_reason"] = finishReason,
        }, usage);

    public JsonObject? First() => Envelope("chat.completion.chunk", new JsonObject
    {
        ["index"] = 0,
        ["delta"] = new JsonObject { ["role"] = "assistant", ["content"] = "" },
        ["logprobs"] = null,
        ["finish_reason"] = null,
    }, null);

    public JsonObject Chunk(string text, IReadOnlyList<TokenLogprobs> tokens, string? finishReason) => Envelope("chat.completion.chunk", new JsonObject
    {
        ["index"] = 0,
        ["delta"] = text.Length > 0 || finishReason is null ? new JsonObject { ["content"] = text } : new JsonObject(),
        ["logprobs"] = logprobs ? Logprobs(tokens) : null,
        ["finish_reason"] = finishReason,
    }, null);

    public JsonObject UsageChunk(JsonObject usage)
    {
        var chunk = Envelope("chat.completion.chunk", null, usage);
        chunk["choices"] = new JsonArray();
        return chunk;
    }

    private JsonObject Envelope(string type, JsonObject? choice, JsonObject? usage) => new()
    {
        ["id"] = _id,
        ["object"] = type,
        ["created"] = _created,
        ["model"] = model,
        ["system_fingerprint"] = null,
        ["choices"] = choice is null ? new JsonArray() : new JsonArray(choice),
        ["usage"] = usage,
    };

    private static JsonObject Logprobs(IReadOnlyList<TokenLogprobs> tokens) => new()
    {
        ["content"] = new JsonArray(tokens.Select(t => (JsonNode)new JsonObject
        {
            ["token"] = t.Token,
            ["logprob"] = t.Logprob,
            ["bytes"] = Bytes(t.Bytes),
            ["top_logprobs"] = new JsonArray(t.Top.Select(a => (JsonNode)new JsonObject
            {
                ["token"] = a.Token,
                ["logprob"] = a.Logprob,
                ["bytes"] = Bytes(a.Bytes),
            }).ToArray()),
        }).ToArray()),
        ["refusal"] = null,
    };

    private static JsonArray Bytes(byte[] bytes) => new(bytes.Select(b => (JsonNode)JsonValue.Create((int)b)).ToArray());
}
