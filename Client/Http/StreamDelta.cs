using System.Text.Json.Nodes;

namespace Cluster.Client.Http;

/// <summary>What one streamed chunk adds: text (possibly empty) and, on the last choice chunk, why generation ended.</summary>
internal sealed record StreamDelta(string Text, string? FinishReason)
{
    /// <summary>
    /// The delta of a <c>data:</c> payload, or null for chunks that carry neither text nor a finish
    /// reason (chat's first chunk with only <c>delta.role</c>, the usage chunk). An error chunk,
    /// which the server sends when generation fails after the stream started, throws.
    /// </summary>
    public static StreamDelta? Parse(string data, bool chat)
    {
        var chunk = JsonNode.Parse(data) ?? throw new InvalidOperationException("the server streamed an empty chunk");
        if (chunk["error"] is JsonObject error)
            throw ServerErrorException.FromError(status: null, error);
        if (chunk["choices"] is not JsonArray { Count: > 0 } choices || choices[0] is not JsonObject choice)
            return null;
        var holder = chat ? choice["delta"] : choice;
        string text = holder?[chat ? "content" : "text"] is JsonValue value && value.TryGetValue(out string? s) ? s : "";
        string? finish = choice["finish_reason"] is JsonValue f && f.TryGetValue(out string? r) ? r : null;
        return text.Length == 0 && finish is null ? null : new StreamDelta(text, finish);
    }
}
