using System.Text.Json;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Config;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into <see cref="ModelConfig"/>. The record binds most
/// fields by name; <c>eos_token_id</c> is read here because HF writes it as one id or as a list.
/// </summary>
public static class HfConfigJson
{
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new ModelFormatException(path, "config.json not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">The file the text came from, for messages.</param>
    public static ModelConfig Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(source, "config is not a JSON object");
            var config = document.RootElement.Deserialize<ModelConfig>()
                ?? throw new ModelFormatException(source, "config is null");
            return config with { EosTokenIds = EosTokenIds(document.RootElement, source) };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException(source, $"invalid config JSON: {e.Message}", e);
        }
    }

    private static int[] EosTokenIds(JsonElement root, string source)
    {
        if (!root.TryGetProperty("eos_token_id", out var eos))
            return [];
        return eos.ValueKind switch
        {
            JsonValueKind.Null => [],
            JsonValueKind.Number => [eos.GetInt32()],
            JsonValueKind.Array => eos.EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            _ => throw new ModelFormatException(source, $"eos_token_id must be a number or a list of numbers, not {eos.ValueKind}"),
        };
    }
}
