using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cluster.Client.Http;

/// <summary>
/// An OpenAI error (<c>{"error": {"message", "type", "param", "code"}}</c>) answered with a non-2xx
/// status, or streamed after a 200 (then <see cref="Status"/> is null).
/// </summary>
internal sealed class ServerErrorException(int? status, string message, string? type, string? code) : Exception(message)
{
    public int? Status { get; } = status;

    public string? Type { get; } = type;

    public string? Code { get; } = code;

    /// <summary>The error of a response body; a body that is not OpenAI's error JSON is quoted as it came.</summary>
    public static ServerErrorException FromBody(int status, string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } root && root["error"] is JsonObject error)
                return FromError(status, error);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the raw body below says more than a parse error.
        }
        return new ServerErrorException(status, body.Length == 0 ? "(empty body)" : body.Trim(), type: null, code: null);
    }

    public static ServerErrorException FromError(int? status, JsonObject error) => new(
        status,
        Text(error["message"]) ?? error.ToJsonString(),
        Text(error["type"]),
        Text(error["code"]));

    /// <summary>One line for the terminal: <c>HTTP 404 (not_found_error, model_not_found): the model ...</c>.</summary>
    public string Describe()
    {
        string where = Status is { } s ? $"HTTP {s}" : "error in the stream";
        string[] kinds = new[] { Type, Code }.Where(k => !string.IsNullOrEmpty(k)).Select(k => k!).ToArray();
        return kinds.Length == 0 ? $"{where}: {Message}" : $"{where} ({string.Join(", ", kinds)}): {Message}";
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? s) ? s : node?.ToJsonString();
}
