using System.Text.Json.Nodes;
using Cluster.Silo.Api.Generation;

namespace Cluster.Silo.Api.Completions;

/// <summary>OpenAI's <c>text_completion</c> objects; legacy logprobs (tokens, token_logprobs, top_logprobs, text_offset).</summary>
public sealed class CompletionShape(string model, bool logprobs) : IResponseShape
{
    public string Operation => "text_completion";

    private readonly string _id = "cmpl-" + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private int _textOffset;

    public JsonObject Whole(string text, IReadOnlyList<TokenLogprobs> tokens, string finishReason, JsonObject usage) =>
        Envelope(Choice(text, tokens, finishReason), usage);

    public JsonObject? First() => null;

    public JsonObject Chunk(string text, IReadOnlyList<TokenLogprobs> tokens, string? finishReason) => Envelope(Choice(text, tokens, finishReason), null);

    public JsonObject UsageChunk(JsonObject usage) => new()
    {
        ["id"] = _id,
        ["object"] = "text_completion",
        ["created"] = _created,
        ["model"] = model,
        ["choices"] = new JsonArray(),
        ["usage"] = usage,
    };

    private JsonObject Envelope(JsonObject choice, JsonObject? usage) => new()
    {
        ["id"] = _id,
        ["object"] = "text_completion",
        ["created"] = _created,
        ["model"] = model,
        ["choices"] = new JsonArray(choice),
        ["usage"] = usage,
    };

    private JsonObject Choice(string text, IReadOnlyList<TokenLogprobs> tokens, string? finishReason) => new()
    {
        ["index"] = 0,
        ["text"] = text,
        ["logprobs"] = logprobs ? Logprobs(tokens) : null,
        ["finish_reason"] = finishReason,
    };

    private JsonObject Logprobs(IReadOnlyList<TokenLogprobs> tokens)
    {
        var offsets = new JsonArray();
        foreach (var t in tokens)
        {
            offsets.Add(_textOffset);
            _textOffset += t.Token.Length;
        }
        return new JsonObject
        {
            ["tokens"] = new JsonArray(tokens.Select(t => (JsonNode)JsonValue.Create(t.Token)).ToArray()),
            ["token_logprobs"] = new JsonArray(tokens.Select(t => (JsonNode)JsonValue.Create(t.Logprob)).ToArray()),
            ["top_logprobs"] = new JsonArray(tokens.Select(t =>
            {
                var top = new JsonObject();
                foreach (var (token, logprob, _) in t.Top) top[token] = logprob;
                return (JsonNode)top;
            }).ToArray()),
            ["text_offset"] = offsets,
        };
    }
}
