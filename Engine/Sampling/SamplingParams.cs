using System.Globalization;

namespace Cluster.Engine.Sampling;

/// <summary>
/// How one request's tokens are chosen, with the OpenAI/vLLM meanings and defaults (every
/// processor off, temperature 1). Immutable: it travels with the sequence. Field names in errors
/// are the API's snake_case names, since those errors end up in 400 responses.
/// </summary>
public sealed record SamplingParams
{
    /// <summary>Below this a temperature means greedy (vLLM's _SAMPLING_EPS): dividing by it would only amplify noise.</summary>
    public const float GreedyTemperature = 1e-5f;

    public const int MaxTopLogprobs = 20;

    public static SamplingParams Greedy { get; } = new() { Temperature = 0 };

    /// <summary>0 = greedy (argmax); otherwise logits are divided by it. In [0, 2].</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the K most likely tokens; 0 or -1 = off.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches P; 1 = off. In (0, 1].</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Drop tokens less likely than MinP times the most likely one; 0 = off. In [0, 1].</summary>
    public float MinP { get; init; }

    /// <summary>
    /// Hugging Face semantics: every token seen in prompt or output has a positive logit divided by
    /// it and a negative one multiplied by it; 1 = off. Must be &gt; 0.
    /// </summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>OpenAI semantics: subtracted once from the logit of every token already in the output. In [-2, 2].</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI semantics: subtracted from a token's logit once per time it appears in the output. In [-2, 2].</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>The request's seed; null = one is drawn once per sequence (see <see cref="ResolveSeed"/>).</summary>
    public long? Seed { get; init; }

    /// <summary>Tokens that end the sequence (besides the model's EOS); checked by the sequence, not the sampler.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>Most tokens to generate; null = until a stop or the context window.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>How many most likely alternatives to report per token, with their logprobs. In [0, 20].</summary>
    public int TopLogprobs { get; init; }

    /// <summary>
    /// Whether the chosen token's logprob is wanted (the API's logprobs field). Without it and
    /// without <see cref="TopLogprobs"/>, a greedy token is the argmax alone: no softmax over the
    /// vocabulary, and <see cref="SampledToken.Logprob"/> is NaN.
    /// </summary>
    public bool Logprobs { get; init; } = true;

    public bool IsGreedy => Temperature < GreedyTemperature;

    /// <summary>
    /// The seed the sequence samples with: the request's, or a random one that the caller stores
    /// with the sequence so that replay after a failure draws the same tokens.
    /// </summary>
    public long ResolveSeed() => Seed ?? Random.Shared.NextInt64();

    /// <summary>Throws an <see cref="ArgumentException"/> whose ParamName and message name the first invalid field and its allowed range.</summary>
    public void Validate()
    {
        if (FindError() is { } error)
        {
            throw new ArgumentException(error.Message, error.Field);
        }
    }

    /// <summary>False, with a message naming the field and its allowed range, when a value is out of range.</summary>
    public bool TryValidate(out string? error)
    {
        error = FindError()?.Message;
        return error is null;
    }

    private (string Field, string Message)? FindError()
    {
        // Written as !(in range) so that NaN fails every check.
        if (!(Temperature >= 0 && Temperature <= 2))
        {
            return Invalid("temperature", "must be in [0, 2]", Temperature);
        }

        if (TopK < -1)
        {
            return Invalid("top_k", "must be -1 or 0 (off) or a positive count", TopK);
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            return Invalid("top_p", "must be in (0, 1]", TopP);
        }

        if (!(MinP >= 0 && MinP <= 1))
        {
            return Invalid("min_p", "must be in [0, 1]", MinP);
        }

        if (!(RepetitionPenalty > 0 && float.IsFinite(RepetitionPenalty)))
        {
            return Invalid("repetition_penalty", "must be > 0", RepetitionPenalty);
        }

        if (!(PresencePenalty >= -2 && PresencePenalty <= 2))
        {
            return Invalid("presence_penalty", "must be in [-2, 2]", PresencePenalty);
        }

        if (!(FrequencyPenalty >= -2 && FrequencyPenalty <= 2))
        {
            return Invalid("frequency_penalty", "must be in [-2, 2]", FrequencyPenalty);
        }

        if (TopLogprobs is < 0 or > MaxTopLogprobs)
        {
            return Invalid("top_logprobs", "must be in [0, 20]", TopLogprobs);
        }

        if (MaxTokens is < 1)
        {
            return Invalid("max_tokens", "must be at least 1", MaxTokens.Value);
        }

        if (StopTokenIds is null)
        {
            return ("stop_token_ids", "stop_token_ids must not be null");
        }

        foreach (var id in StopTokenIds)
        {
            if (id < 0)
            {
                return Invalid("stop_token_ids", "must hold token ids >= 0", id);
            }
        }

        return null;
    }

    private static (string, string) Invalid(string field, string rule, IFormattable value) =>
        (field, $"{field} {rule}, got {value.ToString(null, CultureInfo.InvariantCulture)}");
}
