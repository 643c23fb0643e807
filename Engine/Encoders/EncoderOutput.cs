namespace Cluster.Engine.Encoders;

/// <summary>One sequence leaving an encoder stage: hidden states for the next stage, or, from the last, its pooled embedding.</summary>
public sealed record EncoderOutput(byte[]? Hidden = null, float[]? Embedding = null);
