namespace Cluster.Engine.Generation;

/// <summary>Why a sequence stopped, in the OpenAI API's words.</summary>
public enum FinishReason
{
    /// <summary>An end-of-sequence or stop token (or stop string) was produced.</summary>
    Stop,

    /// <summary>max_tokens or the context window was reached.</summary>
    Length,

    /// <summary>The caller went away.</summary>
    Cancelled,
}
