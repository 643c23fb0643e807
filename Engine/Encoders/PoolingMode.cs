namespace Cluster.Engine.Encoders;

/// <summary>How a sequence's token states become one vector (sentence-transformers' pooling modes).</summary>
public enum PoolingMode
{
    /// <summary>The mean over the sequence's tokens (padding excluded).</summary>
    Mean,

    /// <summary>The state of the first token, <c>[CLS]</c>.</summary>
    Cls,

    /// <summary>The element-wise maximum over the sequence's tokens.</summary>
    Max,
}
