using TorchSharp;

namespace Cluster.Engine.Weights;

/// <summary>
/// Converts q/k projection rows between RoPE layouts. llama2.c and GGUF (llama architecture)
/// rotate interleaved pairs (0,1), (2,3), ...; HF rotates the halves (i, i + headDim/2). Within
/// each head the HF row order is the even rows then the odd rows: the inverse of the permute in
/// llama.cpp's converter and llama2.c's export.py.
/// </summary>
public static class RopeLayout
{
    /// <summary>
    /// Reorders the rows of a (heads * headDim, ...) weight or (heads * headDim) bias from
    /// interleaved-pair to rotate-half order into a new tensor.
    /// </summary>
    public static torch.Tensor InterleavedToRotateHalf(torch.Tensor weight, int heads)
    {
        long rows = weight.shape[0];
        if (heads <= 0 || rows % (2L * heads) != 0)
            throw new ArgumentException($"{rows} rows do not split into {heads} heads of even size", nameof(weight));
        long half = rows / heads / 2;
        long[] rest = weight.shape[1..];
        // (heads, headDim/2, 2, rest...) → (heads, 2, headDim/2, rest...): evens first, then odds.
        using var pairs = weight.reshape([heads, half, 2, .. rest]);
        using var halves = pairs.transpose(1, 2);
        return halves.reshape(weight.shape); // copies: the transposed view is not contiguous
    }

    /// <summary>
    /// The inverse of <see cref="InterleavedToRotateHalf"/>: rotate-half rows back to the
    /// interleaved-pair order GGUF's llama architecture stores (what llama.cpp's converter's
    /// permute produces), into a new tensor.
    /// </summary>
    public static torch.Tensor RotateHalfToInterleaved(torch.Tensor weight, int heads)
    {
        long rows = weight.shape[0];
        if (heads <= 0 || rows % (2L * heads) != 0)
            throw new ArgumentException($"{rows} rows do not split into {heads} heads of even size", nameof(weight));
        long half = rows / heads / 2;
        long[] rest = weight.shape[1..];
        // (heads, 2, headDim/2, rest...) → (heads, headDim/2, 2, rest...): row i of each half becomes pair i.
        using var halves = weight.reshape([heads, 2, half, .. rest]);
        using var pairs = halves.transpose(1, 2);
        return pairs.reshape(weight.shape);
    }
}
