namespace Cluster.Grains.Sequences;

/// <summary>A generation request as the sequence grain takes it: prompt token ids and sampling settings.</summary>
[GenerateSerializer, Immutable, Alias("cluster.generate-request")]
public sealed record GenerateRequest(
    [property: Id(0)] int[] PromptTokenIds,
    [property: Id(1)] SamplingSettings Sampling)
{
    /// <summary>
    /// Tokens of this request already delivered to the caller by a sequence that was lost (its
    /// silo died): the new sequence computes them as history, does not stream them again, and
    /// samples the next one at step <c>ResumeFrom.Length</c> with the same seed, so the output
    /// continues exactly where it broke off. <see cref="SamplingSettings.MaxTokens"/> counts them.
    /// </summary>
    [Id(2)] public int[] ResumeFrom { get; init; } = [];
}
