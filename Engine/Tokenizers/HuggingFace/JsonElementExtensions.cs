using System.Text.Json;

namespace Cluster.Engine.Tokenizers.HuggingFace;

/// <summary>Tolerant reads of optional JSON members: HF files vary by library version.</summary>
internal static class JsonElementExtensions
{
    public static JsonElement? Member(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? String(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Bool(this JsonElement element, string name) =>
        element.Member(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>The element and, for a "Sequence" step, every step inside it, depth first.</summary>
    public static IEnumerable<JsonElement> Steps(this JsonElement? element)
    {
        if (element is not JsonElement step)
            yield break;
        var inner = step.Member("normalizers") ?? step.Member("pretokenizers") ?? step.Member("decoders") ?? step.Member("processors");
        if (step.String("type") == "Sequence" && inner is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var item in list.EnumerateArray())
                foreach (var nested in Steps(item))
                    yield return nested;
        }
        else
        {
            yield return step;
        }
    }
}
