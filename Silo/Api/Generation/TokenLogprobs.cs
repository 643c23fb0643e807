namespace Cluster.Silo.Api.Generation;

/// <summary>One generated token as logprobs reports show it: its text, logprob, and the top alternatives.</summary>
public sealed record TokenLogprobs(string Token, float Logprob, byte[] Bytes, IReadOnlyList<(string Token, float Logprob, byte[] Bytes)> Top);
