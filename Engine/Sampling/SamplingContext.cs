namespace Cluster.Engine.Sampling;

/// <summary>
/// What the sampler needs to know about a sequence beyond its logits: the tokens the penalties
/// look at, and the (seed, step) pair the draw is keyed on. The sequence owns this state, so the
/// same context replayed anywhere gives the same token.
/// </summary>
/// <param name="PromptTokenIds">The prompt (the repetition penalty looks at it).</param>
/// <param name="OutputTokenIds">Tokens generated so far (all penalties look at them).</param>
/// <param name="Step">Index of the token being sampled among the outputs: 0 for the first.</param>
/// <param name="Seed">The sequence's resolved seed (<see cref="SamplingParams.ResolveSeed"/>), drawn once and kept.</param>
public sealed record SamplingContext(IReadOnlyList<int> PromptTokenIds, IReadOnlyList<int> OutputTokenIds, int Step, long Seed)
{
    /// <summary>The context for the next output token: step = outputs so far.</summary>
    public static SamplingContext ForNextToken(IReadOnlyList<int> promptTokenIds, IReadOnlyList<int> outputTokenIds, long seed) =>
        new(promptTokenIds, outputTokenIds, outputTokenIds.Count, seed);
}
