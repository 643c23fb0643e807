namespace Cluster.Grains.Sequences;

/// <summary>Why a sequence stopped generating.</summary>
[GenerateSerializer, Alias("cluster.finish-reason")]
public enum FinishReason
{
    /// <summary>An end-of-sequence or stop token was sampled (it is the last token streamed).</summary>
    Stop,

    /// <summary>max_tokens were generated, or the context window is full.</summary>
    Length,
}
