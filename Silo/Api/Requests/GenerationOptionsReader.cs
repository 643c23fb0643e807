using Cluster.Grains.Sequences;
using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Requests;

/// <summary>Reads the fields completions and chat share and checks them against the Engine's ranges.</summary>
public static class GenerationOptionsReader
{
    /// <summary>The <c>model</c> the request names: read first, since the model decides the rest (its context window, its tokenizer).</summary>
    public static string RequestedModel(RequestReader body) =>
        body.String("model") ?? throw ApiException.BadRequest("model is required", "model", "missing_required_parameter");

    /// <param name="defaultMaxTokens">max_tokens when the request gives none.</param>
    /// <param name="topLogprobs">The endpoint's own reading of its logprobs fields (they differ between completions and chat).</param>
    /// <param name="maxStops">Stop strings a request may give (<c>--max-stop-strings</c>).</param>
    public static GenerationOptions Read(RequestReader body, int defaultMaxTokens, int? topLogprobs, int maxStops)
    {
        var model = RequestedModel(body);
        RejectUnsupported(body);
        var stops = body.Strings("stop") ?? [];
        if (stops.Length > maxStops) throw ApiException.BadRequest($"stop may hold at most {maxStops} strings, got {stops.Length}", "stop");
        if (stops.Any(s => s.Length == 0)) throw ApiException.BadRequest("stop strings must not be empty", "stop");

        int maxTokens = body.Integer("max_completion_tokens", 1, int.MaxValue) ?? body.Integer("max_tokens", 1, int.MaxValue) ?? defaultMaxTokens;
        var sampling = new SamplingSettings
        {
            Temperature = Float(body, "temperature") ?? 1f,
            TopP = Float(body, "top_p") ?? 1f,
            TopK = body.Integer("top_k", -1, int.MaxValue) is { } k and > 0 ? k : 0,
            MinP = Float(body, "min_p") ?? 0f,
            PresencePenalty = Float(body, "presence_penalty") ?? 0f,
            FrequencyPenalty = Float(body, "frequency_penalty") ?? 0f,
            RepetitionPenalty = Float(body, "repetition_penalty") ?? 1f,
            Seed = body.Integer("seed"),
            MaxTokens = maxTokens,
            TopLogprobs = topLogprobs ?? 0,
            Logprobs = topLogprobs is not null,
            IgnoreEos = body.Bool("ignore_eos") ?? false,
            StopTokenIds = body.TokenIds("stop_token_ids") ?? [],
        };
        try
        {
            // The Engine's validation names the field (its ParamName) with the API's snake_case name.
            sampling.ToEngine().Validate();
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest(ApiExceptionHandler.MessageOf(e), e.ParamName);
        }

        bool stream = body.Bool("stream") ?? false;
        bool includeUsage = false;
        if (body.Element("stream_options") is { } streamOptions)
        {
            if (streamOptions.ValueKind != System.Text.Json.JsonValueKind.Object) throw RequestReader.WrongType("stream_options", "an object", streamOptions);
            if (streamOptions.TryGetProperty("include_usage", out var usage) && usage.ValueKind != System.Text.Json.JsonValueKind.Null)
                includeUsage = usage.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                    ? usage.GetBoolean()
                    : throw RequestReader.WrongType("stream_options.include_usage", "a boolean", usage);
        }
        return new GenerationOptions(model, sampling, stops, stream, includeUsage, topLogprobs);
    }

    private static float? Float(RequestReader body, string name) => body.Number(name) is { } d ? (float)d : null;

    /// <summary>Fields whose meaning this server does not implement: refused by name rather than silently ignored.</summary>
    private static void RejectUnsupported(RequestReader body)
    {
        if (body.Integer("n") is { } n && n != 1) throw ApiException.BadRequest($"n must be 1 (one choice per request is supported), got {n}", "n");
        if (body.Integer("best_of") is { } b && b != 1) throw ApiException.BadRequest($"best_of must be 1, got {b}", "best_of");
        if (body.Bool("echo") == true) throw ApiException.BadRequest("echo is not supported", "echo");
        if (body.String("suffix") is { Length: > 0 }) throw ApiException.BadRequest("suffix is not supported", "suffix");
        if (body.Element("logit_bias") is { ValueKind: System.Text.Json.JsonValueKind.Object } bias && bias.EnumerateObject().Any())
            throw ApiException.BadRequest("logit_bias is not supported", "logit_bias");
        if (body.Element("tools") is { ValueKind: System.Text.Json.JsonValueKind.Array } tools && tools.GetArrayLength() > 0)
            throw ApiException.BadRequest("tools are not supported", "tools");
    }
}
