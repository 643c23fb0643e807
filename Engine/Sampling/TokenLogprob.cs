namespace Cluster.Engine.Sampling;

/// <summary>A token and its log-probability under the processed distribution (see <see cref="Sampler"/>).</summary>
public readonly record struct TokenLogprob(int TokenId, float Logprob);
