namespace Cluster.Grains.Sequences;

/// <summary>
/// One streamed token; the last one of a sequence carries why it stopped. The top alternatives are
/// there only when the request asked for them (<see cref="SamplingSettings.TopLogprobs"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.generated-token")]
public sealed record GeneratedToken(
    [property: Id(0)] int TokenId,
    [property: Id(1)] float Logprob,
    [property: Id(2)] int Index,
    [property: Id(3)] FinishReason? Finish,
    [property: Id(4)] int[]? TopTokenIds = null,
    [property: Id(5)] float[]? TopLogprobs = null);
