using Cluster.Grains.Sequences;

namespace Cluster.Silo.Api.Requests;

/// <summary>What completions and chat requests share once parsed: sampling, stop strings, streaming, logprobs.</summary>
/// <param name="TopLogprobs">Alternatives to report per token; null when the request asked for no logprobs at all.</param>
public sealed record GenerationOptions(
    string Model,
    SamplingSettings Sampling,
    IReadOnlyList<string> Stops,
    bool Stream,
    bool IncludeUsage,
    int? TopLogprobs);
