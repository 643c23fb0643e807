using System.Text.Json;

namespace Cluster.Engine.Tests.Tokenizers;

/// <summary>The llama2.c goldens in shared/models/stories260K.</summary>
internal static class TokenizerGoldens
{
    public static IReadOnlyList<(string Text, int[] Ids)> EncodeCases()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedModels.Path("stories260K", "golden-encode.json")));
        return document.RootElement.EnumerateArray()
            .Select(c => (c.GetProperty("text").GetString()!, c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()))
            .ToList();
    }

    public static (string Prompt, int[] PromptIds, int[] GeneratedIds, string Text) Greedy()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedModels.Path("stories260K", "golden-greedy-once-upon-a-time.json")));
        var root = document.RootElement;
        int[] Ids(string name) => root.GetProperty(name).EnumerateArray().Select(i => i.GetInt32()).ToArray();
        return (root.GetProperty("prompt").GetString()!, Ids("prompt_ids"), Ids("generated_ids"), root.GetProperty("text").GetString()!);
    }
}
