using static TorchSharp.torch;

namespace Cluster.Engine.Attention;

/// <summary>
/// The attention step of a decoder layer, given the projected and rotated q, k, v of the tokens
/// in the batch. The paged kernel stores k/v in pages and attends over each sequence's whole
/// cached context; the reference kernel attends over the batch alone (no cache).
/// </summary>
public interface IAttentionKernel
{
    /// <param name="layer">the layer's index within the stage (its cache slot).</param>
    /// <param name="q">(T, heads, headDim)</param>
    /// <param name="k">(T, kvHeads, headDim)</param>
    /// <param name="v">(T, kvHeads, headDim)</param>
    /// <returns>(T, heads, headDim)</returns>
    Tensor Attend(int layer, Tensor q, Tensor k, Tensor v);
}
