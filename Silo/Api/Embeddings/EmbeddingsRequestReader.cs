using System.Text.Json;
using Cluster.Grains.Encoders;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Requests;

namespace Cluster.Silo.Api.Embeddings;

/// <summary>
/// Reads an embeddings request as OpenAI defines it: <c>input</c> a string, a list of strings, a
/// list of token ids or a list of such lists; <c>encoding_format</c> <c>float</c> (default) or
/// <c>base64</c>; <c>dimensions</c> only as the model's own (it cannot truncate its vectors).
/// Inputs past the model's positions are refused unless <c>truncate</c> is true (Hugging Face
/// TEI's field), which keeps their first tokens.
/// </summary>
public static class EmbeddingsRequestReader
{
    /// <summary>Inputs one request may carry, as OpenAI's limit.</summary>
    public const int MaxInputs = 2048;

    public static EmbeddingsRequest Read(RequestReader body, ServedEncoder encoder)
    {
        string model = body.String("model") ?? throw ApiException.BadRequest("'model' is required", "model", "missing_required_parameter");
        if (model != encoder.Id)
            throw ApiException.NotFound($"the model '{model}' does not exist or does not make embeddings; this server embeds with '{encoder.Id}'", "model", "model_not_found");
        string format = body.String("encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.BadRequest($"'encoding_format' must be 'float' or 'base64', not '{format}'", "encoding_format", "invalid_value");
        if (body.Integer("dimensions", 1, int.MaxValue) is { } dimensions && dimensions != encoder.Dimensions)
            throw ApiException.BadRequest($"'{encoder.Id}' makes vectors of {encoder.Dimensions} dimensions and cannot shorten them; 'dimensions' {dimensions} is not supported", "dimensions", "invalid_value");
        bool truncate = body.Bool("truncate") ?? false;
        var input = body.Element("input") ?? throw ApiException.BadRequest("'input' is required", "input", "missing_required_parameter");
        var inputs = Inputs(input, encoder).Select((ids, i) => Framed(ids, i, encoder, truncate)).ToArray();
        return new EmbeddingsRequest(model, inputs, format == "base64");
    }

    /// <summary>Each input as the tokenizer's pieces, or the caller's ids.</summary>
    private static List<IReadOnlyList<int>> Inputs(JsonElement input, ServedEncoder encoder)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return [Text(input.GetString()!, 0, encoder)];
            case JsonValueKind.Array when input.GetArrayLength() == 0:
                throw ApiException.BadRequest("'input' is an empty list", "input", "invalid_value");
            case JsonValueKind.Array when input.GetArrayLength() > MaxInputs:
                throw ApiException.BadRequest($"'input' has {input.GetArrayLength()} items; at most {MaxInputs} are allowed", "input", "invalid_value");
            case JsonValueKind.Array:
                var first = input[0];
                if (first.ValueKind == JsonValueKind.Number) return [Ids(input, "input", encoder)];
                var inputs = new List<IReadOnlyList<int>>();
                int index = 0;
                foreach (var item in input.EnumerateArray())
                {
                    inputs.Add(item.ValueKind switch
                    {
                        JsonValueKind.String => Text(item.GetString()!, index, encoder),
                        JsonValueKind.Array => Ids(item, $"input[{index}]", encoder),
                        _ => throw ApiException.BadRequest($"'input[{index}]' must be a string or a list of token ids, not {RequestReader.Describe(item)}", "input", "invalid_type"),
                    });
                    index++;
                }
                return inputs;
            default:
                throw ApiException.BadRequest($"'input' must be a string, a list of strings or a list of token ids, not {RequestReader.Describe(input)}", "input", "invalid_type");
        }
    }

    private static List<int> Text(string text, int index, ServedEncoder encoder)
    {
        if (text.Length == 0) throw ApiException.BadRequest($"'input[{index}]' is an empty string", "input", "invalid_value");
        return encoder.Tokenizer.Tokenize(text);
    }

    private static int[] Ids(JsonElement list, string field, ServedEncoder encoder)
    {
        if (list.GetArrayLength() == 0) throw ApiException.BadRequest($"'{field}' is an empty list of token ids", "input", "invalid_value");
        var ids = new int[list.GetArrayLength()];
        int i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int id) || id < 0 || id >= encoder.Config.VocabSize)
                throw ApiException.BadRequest($"'{field}[{i}]' must be a token id from 0 to {encoder.Config.VocabSize - 1}, not {item.GetRawText()}", "input", "invalid_value");
            ids[i++] = id;
        }
        return ids;
    }

    private static int[] Framed(IReadOnlyList<int> pieces, int index, ServedEncoder encoder, bool truncate)
    {
        try
        {
            return encoder.Tokenizer.Frame(pieces, encoder.MaxTokens, truncate);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest($"'input[{index}]': {e.Message}; send 'truncate': true to keep its first tokens", "input", "context_length_exceeded");
        }
    }
}
