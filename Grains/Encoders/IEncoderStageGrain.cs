namespace Cluster.Grains.Encoders;

/// <summary>
/// A stage of an encoder model (key <c>model/stage</c>): runs the sequences it is given, in passes
/// it shares with other callers' sequences, and hands them to the next stage; the last stage
/// returns their embeddings, which travel back along the chain of calls.
/// </summary>
public interface IEncoderStageGrain : IGrainWithStringKey
{
    /// <returns>one embedding per sequence, in order</returns>
    Task<float[][]> EmbedAsync(EncoderSequence[] sequences);
}
