using Cluster.Engine.Sampling;

namespace Cluster.Grains.Sequences;

/// <summary>
/// Sampling settings as they cross grain boundaries. The Engine's <see cref="SamplingParams"/>
/// is the authority; <see cref="ToEngine"/> is the one place that maps between the two.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.sampling")]
public sealed record SamplingSettings
{
    public static SamplingSettings Greedy { get; } = new();

    /// <summary>0 is greedy.</summary>
    [Id(0)] public float Temperature { get; init; }

    [Id(1)] public int TopK { get; init; }

    [Id(2)] public float TopP { get; init; } = 1f;

    [Id(3)] public float MinP { get; init; }

    [Id(4)] public float RepetitionPenalty { get; init; } = 1f;

    [Id(5)] public float FrequencyPenalty { get; init; }

    [Id(6)] public float PresencePenalty { get; init; }

    [Id(7)] public ulong? Seed { get; init; }

    [Id(8)] public int[] StopTokenIds { get; init; } = [];

    [Id(9)] public int MaxTokens { get; init; } = 16;

    /// <summary>Keep generating past the model's end-of-sequence ids.</summary>
    [Id(10)] public bool IgnoreEos { get; init; }

    /// <summary>Most likely alternatives reported with each token (OpenAI <c>top_logprobs</c>), 0 to 20.</summary>
    [Id(11)] public int TopLogprobs { get; init; }

    // Every field the Engine's sampler knows; MaxTokens and stop ids stay with the sequence grain.
    public SamplingParams ToEngine() => new()
    {
        Temperature = Temperature,
        TopK = TopK,
        TopP = TopP,
        MinP = MinP,
        RepetitionPenalty = RepetitionPenalty,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        Seed = Seed is { } seed ? unchecked((long)seed) : null,
        TopLogprobs = TopLogprobs,
    };

    /// <summary>Names the first invalid setting, or null.</summary>
    public string? Problem()
    {
        if (float.IsNaN(Temperature) || Temperature < 0) return $"temperature must be >= 0 (is {Temperature})";
        if (TopK < 0) return $"top_k must be >= 0 (is {TopK})";
        if (!(TopP > 0 && TopP <= 1)) return $"top_p must be in (0, 1] (is {TopP})";
        if (!(MinP >= 0 && MinP <= 1)) return $"min_p must be in [0, 1] (is {MinP})";
        if (!(RepetitionPenalty > 0)) return $"repetition_penalty must be > 0 (is {RepetitionPenalty})";
        if (MaxTokens <= 0) return $"max_tokens must be positive (is {MaxTokens})";
        // The Engine's own ranges (temperature <= 2, penalties in [-2, 2], top_logprobs <= 20).
        return ToEngine().TryValidate(out var error) ? null : error;
    }
}
