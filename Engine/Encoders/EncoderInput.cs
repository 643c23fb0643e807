namespace Cluster.Engine.Encoders;

/// <summary>
/// One sequence entering an encoder stage: its token ids (the first stage) or the previous stage's
/// hidden states for its <see cref="Length"/> tokens (float32, row after row).
/// </summary>
public sealed record EncoderInput(int Length, int[]? Ids = null, byte[]? Hidden = null)
{
    public static EncoderInput OfIds(int[] ids) => new(ids.Length, Ids: ids);
}
