using System.Text.Json;
using Cluster.Silo.Api.ChatTemplates;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Requests;

namespace Cluster.Silo.Api.Chat;

/// <summary>Reads <c>messages</c>: each a role and content (a string, or an array of text parts).</summary>
public static class ChatMessagesReader
{
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <param name="maxMessages">Messages a request may hold (<c>--max-messages</c>).</param>
    public static IReadOnlyList<ChatMessage> Read(RequestReader body, int maxMessages)
    {
        if (body.Element("messages") is not { } messages) throw ApiException.BadRequest("messages is required", "messages", "missing_required_parameter");
        if (messages.ValueKind != JsonValueKind.Array) throw RequestReader.WrongType("messages", "an array of messages", messages);
        if (messages.GetArrayLength() == 0) throw ApiException.BadRequest("messages must hold at least one message", "messages");
        if (messages.GetArrayLength() > maxMessages)
            throw ApiException.BadRequest($"messages may hold at most {maxMessages} messages, got {messages.GetArrayLength()}", "messages");
        return messages.EnumerateArray().Select(Message).ToArray();
    }

    private static ChatMessage Message(JsonElement message, int i)
    {
        string at = $"messages[{i}]";
        if (message.ValueKind != JsonValueKind.Object) throw RequestReader.WrongType(at, "an object", message);
        if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"{at}.role is required and must be a string", $"{at}.role");
        string name = role.GetString()!;
        if (!Roles.Contains(name)) throw ApiException.BadRequest($"{at}.role must be one of {string.Join(", ", Roles)}, got '{name}'", $"{at}.role");
        // "developer" is OpenAI's newer name for the system role; templates know "system".
        if (name == "developer") name = "system";
        return new ChatMessage(name, Content(message, at));
    }

    private static string Content(JsonElement message, string at)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) throw RequestReader.WrongType($"{at}.content", "a string or an array of content parts", content);
        return string.Concat(content.EnumerateArray().Select((part, j) =>
            part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : throw ApiException.BadRequest($"{at}.content[{j}] must be a text part ({{\"type\": \"text\", \"text\": ...}}); other parts are not supported", $"{at}.content")));
    }
}
