using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cluster.ServingBench.Http;

/// <summary>
/// The request body and the streamed text of the two OpenAI endpoints: <c>/v1/completions</c>
/// (prompt, <c>choices[0].text</c>) and <c>/v1/chat/completions</c> (one user message,
/// <c>choices[0].delta.content</c>).
/// </summary>
public sealed class CompletionEndpoint(string path, BenchSampling? sampling = null)
{
    private readonly BenchSampling _sampling = sampling ?? BenchSampling.Greedy;

    public string Path { get; } = path;

    public bool IsChat { get; } = path.TrimEnd('/').EndsWith("/chat/completions", StringComparison.Ordinal);

    public string Body(string model, string prompt, int maxTokens, int seed = 0)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = maxTokens,
            ["temperature"] = _sampling.Temperature,
            ["stream"] = true,
            // Servers that support it report exact token counts in a last chunk; others ignore it.
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
        };
        if (_sampling.Temperature > 0) body["seed"] = seed;
        if (_sampling.StopTokenIds.Count > 0) body["stop_token_ids"] = new JsonArray([.. _sampling.StopTokenIds.Select(id => JsonValue.Create(id))]);
        if (IsChat)
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        else
            body["prompt"] = prompt;
        return body.ToJsonString();
    }

    /// <summary>The text a chunk adds (null when it carries none), and its usage counts if present.</summary>
    public (string? Text, int? PromptTokens, int? CompletionTokens) Parse(string chunk)
    {
        using var document = JsonDocument.Parse(chunk);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
            throw new InvalidOperationException($"the server streamed an error: {error}");
        string? text = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            var holder = IsChat ? (choice.TryGetProperty("delta", out var delta) ? delta : default) : choice;
            string name = IsChat ? "content" : "text";
            if (holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                text = value.GetString();
        }
        int? prompt = null, completion = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            if (usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt32(out int pt)) prompt = pt;
            if (usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt32(out int ct)) completion = ct;
        }
        return (string.IsNullOrEmpty(text) ? null : text, prompt, completion);
    }
}
