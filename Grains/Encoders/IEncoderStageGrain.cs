namespace Cluster.Grains.Encoders;

/// <summary>
/// A stage of an encoder model (key <c>model/stage</c>): runs the sequences it is given, in passes
/// it shares with other callers' sequences, and hands them to the next stage; the last stage
/// returns their embeddings, which travel back along the chain of calls.
/// </summary>
[Alias("cluster.encoder-stage")]
public interface IEncoderStageGrain : IGrainWithStringKey
{
    /// <summary>Loads the stage's layers now (the silo's warmup), so the first request does not wait for them.</summary>
    [Alias("load")]
    Task LoadAsync();

    /// <returns>one embedding per sequence, in order</returns>
    [Alias("embed")]
    Task<float[][]> EmbedAsync(EncoderSequence[] sequences);
}
