namespace Cluster.Grains.Sequences;

/// <summary>One streamed token; the last one of a sequence carries why it stopped.</summary>
[GenerateSerializer, Immutable, Alias("cluster.generated-token")]
public sealed record GeneratedToken(
    [property: Id(0)] int TokenId,
    [property: Id(1)] float Logprob,
    [property: Id(2)] int Index,
    [property: Id(3)] FinishReason? Finish);
