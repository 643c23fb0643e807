using Cluster.Engine.Sampling;

namespace Cluster.Grains.Sequences;

/// <summary>
/// Sampling settings as they cross grain boundaries. The Engine's <see cref="SamplingParams"/>
/// is the authority on meaning and ranges; <see cref="ToEngine"/> is the one place that maps.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.sampling")]
public sealed record SamplingSettings
{
    public static SamplingSettings Greedy { get; } = new();

    /// <summary>0 is greedy (the default here, unlike the OpenAI API's 1).</summary>
    [Id(0)] public float Temperature { get; init; }

    [Id(1)] public int TopK { get; init; }

    [Id(2)] public float TopP { get; init; } = 1f;

    [Id(3)] public float MinP { get; init; }

    [Id(4)] public float RepetitionPenalty { get; init; } = 1f;

    [Id(5)] public float FrequencyPenalty { get; init; }

    [Id(6)] public float PresencePenalty { get; init; }

    /// <summary>Null: the sequence draws one seed once and keeps it.</summary>
    [Id(7)] public long? Seed { get; init; }

    [Id(8)] public int[] StopTokenIds { get; init; } = [];

    [Id(9)] public int MaxTokens { get; init; } = 16;

    /// <summary>Keep generating past the model's end-of-sequence ids.</summary>
    [Id(10)] public bool IgnoreEos { get; init; }

    /// <summary>Most likely alternatives to report with each token.</summary>
    [Id(11)] public int TopLogprobs { get; init; }

    /// <summary>Whether each token's logprob is wanted; without it a greedy token skips the softmax.</summary>
    [Id(12)] public bool Logprobs { get; init; } = true;

    public SamplingParams ToEngine() => new()
    {
        Temperature = Temperature,
        TopK = TopK,
        TopP = TopP,
        MinP = MinP,
        RepetitionPenalty = RepetitionPenalty,
        FrequencyPenalty = FrequencyPenalty,
        PresencePenalty = PresencePenalty,
        Seed = Seed,
        StopTokenIds = StopTokenIds,
        MaxTokens = MaxTokens,
        TopLogprobs = TopLogprobs,
        Logprobs = Logprobs,
    };

    /// <summary>Names the first invalid setting (the Engine's rules), or null.</summary>
    public string? Problem() => ToEngine().TryValidate(out var error) ? null : error;
}
