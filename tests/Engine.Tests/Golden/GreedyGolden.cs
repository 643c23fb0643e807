using System.Text.Json;

namespace Cluster.Engine.Tests.Golden;

/// <summary>llama2.c's own greedy run of stories260K: prompt ids and the 60 generated ids.</summary>
public sealed record GreedyGolden(int[] PromptIds, int[] GeneratedIds, string Prompt)
{
    public static GreedyGolden Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedModels.Path("stories260K", "golden-greedy-once-upon-a-time.json")));
        var root = document.RootElement;
        return new GreedyGolden(
            root.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("generated_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            root.GetProperty("prompt").GetString()!);
    }
}
