using System.Text.Json;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Tokenizers.HuggingFace;

/// <summary>
/// What <c>tokenizer_config.json</c> (and <c>generation_config.json</c>) add to tokenizer.json:
/// BOS/EOS by text, whether BOS is added, and the chat template.
/// </summary>
public sealed record HfTokenizerConfig(string? BosToken, string? EosToken, bool? AddBosToken, string? ChatTemplate, IReadOnlyList<int> GenerationEosIds)
{
    public static HfTokenizerConfig Read(string directory)
    {
        string? bos = null, eos = null, template = null;
        bool? addBos = null;
        string path = Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(path))
        {
            using var document = Parse(path);
            var root = document.RootElement;
            bos = TokenText(root.Member("bos_token"));
            eos = TokenText(root.Member("eos_token"));
            addBos = root.Bool("add_bos_token");
            template = Template(root.Member("chat_template"));
        }
        // A separate chat_template.jinja is what newer transformers versions save.
        string jinja = Path.Combine(directory, "chat_template.jinja");
        if (template is null && File.Exists(jinja))
            template = File.ReadAllText(jinja);
        return new HfTokenizerConfig(bos, eos, addBos, template, GenerationEos(directory));
    }

    internal static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"not valid JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new ModelFormatException(path, $"cannot be read ({e.Message})", e);
        }
    }

    // Special tokens are written either as plain text or as an AddedToken object.
    private static string? TokenText(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Object } token => token.String("content"),
        _ => null,
    };

    // Some models carry several named templates; "default" is the one for plain chat.
    private static string? Template(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray()
            .OrderBy(t => t.String("name") == "default" ? 0 : 1)
            .Select(t => t.String("template"))
            .FirstOrDefault(t => t is not null),
        _ => null,
    };

    // Llama 3 and others end turns with tokens that only generation_config.json lists.
    private static int[] GenerationEos(string directory)
    {
        string path = Path.Combine(directory, "generation_config.json");
        if (!File.Exists(path))
            return [];
        using var document = Parse(path);
        return document.RootElement.Member("eos_token_id") switch
        {
            { ValueKind: JsonValueKind.Number } id when id.TryGetInt32(out int single) => [single],
            { ValueKind: JsonValueKind.Array } ids => ids.EnumerateArray()
                .Select(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out int value) ? value : -1)
                .Where(value => value >= 0)
                .ToArray(),
            _ => [],
        };
    }
}
