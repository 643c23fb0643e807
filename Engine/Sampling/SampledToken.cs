namespace Cluster.Engine.Sampling;

/// <summary>
/// The chosen token, its logprob (NaN when the request wanted none, see
/// <see cref="SamplingParams.Logprobs"/>), and the most likely alternatives (most likely first).
/// </summary>
public sealed record SampledToken(int TokenId, float Logprob, IReadOnlyList<TokenLogprob> TopLogprobs);
