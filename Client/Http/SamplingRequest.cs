using System.Text.Json.Nodes;

namespace Cluster.Client.Http;

/// <summary>The sampling fields of a completion or chat request, as the command-line switches give them.</summary>
internal sealed record SamplingRequest
{
    public required int MaxTokens { get; init; }

    public required float Temperature { get; init; }

    public float TopP { get; init; } = 1;

    public int TopK { get; init; }

    public long? Seed { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>The request body without its prompt or messages.</summary>
    public JsonObject ToJson(string model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = MaxTokens,
            ["temperature"] = Temperature,
            ["top_p"] = TopP,
            ["top_k"] = TopK,
        };
        if (Seed is { } seed)
            body["seed"] = seed;
        if (Stop.Count > 0)
            body["stop"] = new JsonArray(Stop.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
        return body;
    }
}
