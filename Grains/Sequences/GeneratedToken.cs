namespace Cluster.Grains.Sequences;

/// <summary>One streamed token with its logprob; the last one of a sequence carries why it stopped.</summary>
[GenerateSerializer, Immutable, Alias("cluster.generated-token")]
public sealed record GeneratedToken(
    [property: Id(0)] int TokenId,
    [property: Id(1)] float Logprob,
    [property: Id(2)] int Index,
    [property: Id(3)] FinishReason? Finish)
{
    /// <summary>The most likely alternatives (most likely first), when the request asked for top logprobs.</summary>
    [Id(4)] public int[] TopTokenIds { get; init; } = [];

    [Id(5)] public float[] TopLogprobs { get; init; } = [];
}
