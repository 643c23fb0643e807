using System.Text.Json;
using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Requests;

/// <summary>
/// Typed reads of a request body's fields that fail with a 400 naming the field and what it should
/// be. Read by hand rather than bound to a class so that "wrong type" and "out of range" errors
/// can say which field, as OpenAI's do.
/// </summary>
public sealed class RequestReader
{
    private readonly JsonElement _root;

    private RequestReader(JsonElement root) => _root = root;

    public static async Task<RequestReader> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the body is not valid JSON: {e.Message}", code: "invalid_json");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"the body must be a JSON object, not {Describe(document.RootElement)}", code: "invalid_json");
        return new RequestReader(document.RootElement.Clone());
    }

    public bool Has(string name) => _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) => _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? String(string name) => Element(name) is not { } v ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(name, "a string", v);

    public bool? Bool(string name) => Element(name) is not { } v ? null
        : v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw WrongType(name, "a boolean", v);

    public double? Number(string name) => Element(name) is not { } v ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw WrongType(name, "a number", v);

    public long? Integer(string name)
    {
        if (Element(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long i)) return i;
        // 3.0 is an integer to Python clients that send floats; 3.5 is not.
        if (v.ValueKind == JsonValueKind.Number && v.GetDouble() is var d && d == Math.Floor(d) && Math.Abs(d) < 1e15) return (long)d;
        throw WrongType(name, "an integer", v);
    }

    /// <summary>An integer field that must fit in [min, max].</summary>
    public int? Integer(string name, long min, long max)
    {
        if (Integer(name) is not { } i) return null;
        return i >= min && i <= max ? (int)i : throw ApiException.BadRequest($"{name} must be in [{min}, {max}], got {i}", name);
    }

    /// <summary>An array of non-negative integers (token ids: vLLM's <c>stop_token_ids</c>).</summary>
    public int[]? TokenIds(string name)
    {
        if (Element(name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(name, "an array of token ids", v);
        return v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int id) && id >= 0
            ? id
            : throw WrongType($"{name}[{i}]", "a token id (a non-negative integer)", e)).ToArray();
    }

    /// <summary>A field OpenAI lets be one string or an array of strings (prompt, stop).</summary>
    public string[]? Strings(string name)
    {
        if (Element(name) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(name, "a string or an array of strings", v);
        return v.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw WrongType($"{name}[{i}]", "a string", e)).ToArray();
    }

    public static ApiException WrongType(string name, string expected, JsonElement actual) =>
        ApiException.BadRequest($"{name} must be {expected}, not {Describe(actual)}", name, "invalid_type");

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
