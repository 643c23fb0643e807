using System.Text.Json;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Generation;
using Cluster.Silo.Api.Health;
using Cluster.Silo.Api.Hosting;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Requests;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Completions;

/// <summary><c>POST /v1/completions</c>: text after a prompt (a string, an array of one string, or token ids).</summary>
public static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, Readiness readiness, ServedModels models, GenerationResponder responder, IOptions<ApiOptions> options)
    {
        var body = await RequestReader.ReadAsync(context.Request, context.RequestAborted);
        var model = models.GenerationModel(GenerationOptionsReader.RequestedModel(body));
        // Completions: logprobs is the number of alternatives (0 = the chosen token's logprob alone).
        int? logprobs = body.Integer("logprobs", 0, Engine.Sampling.SamplingParams.MaxTopLogprobs);
        var generation = GenerationOptionsReader.Read(body, options.Value.DefaultCompletionMaxTokens, logprobs, options.Value.MaxStopStrings);
        await readiness.EnsureReadyAsync();
        var prompt = Prompt(body, model);
        await responder.RespondAsync(context, model, prompt, "prompt", generation, new CompletionShape(model.Id, logprobs is not null));
    }

    private static IReadOnlyList<int> Prompt(RequestReader body, ServedModel model)
    {
        if (body.Element("prompt") is not { } prompt) throw ApiException.BadRequest("prompt is required", "prompt", "missing_required_parameter");
        if (prompt.ValueKind == JsonValueKind.String) return model.Tokenizer.Encode(prompt.GetString()!, model.AddBos);
        if (prompt.ValueKind != JsonValueKind.Array) throw RequestReader.WrongType("prompt", "a string, an array of strings or an array of token ids", prompt);
        var items = prompt.EnumerateArray().ToArray();
        if (items.Length == 0) throw ApiException.BadRequest("prompt is empty", "prompt");
        if (items.All(i => i.ValueKind == JsonValueKind.Number)) return TokenIds(items, model, "prompt");
        if (items.Length > 1) throw ApiException.BadRequest($"prompt may hold one prompt per request, got {items.Length}", "prompt");
        return items[0].ValueKind switch
        {
            JsonValueKind.String => model.Tokenizer.Encode(items[0].GetString()!, model.AddBos),
            JsonValueKind.Array => TokenIds(items[0].EnumerateArray().ToArray(), model, "prompt[0]"),
            _ => throw RequestReader.WrongType("prompt[0]", "a string or an array of token ids", items[0]),
        };
    }

    private static int[] TokenIds(JsonElement[] items, ServedModel model, string param) => items.Select((e, i) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int id) && id >= 0 && id < model.Tokenizer.VocabSize
            ? id
            : throw ApiException.BadRequest($"{param}[{i}] must be a token id in [0, {model.Tokenizer.VocabSize}), got {e.GetRawText()}", param)).ToArray();
}
