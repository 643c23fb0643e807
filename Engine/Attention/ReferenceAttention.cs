using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Attention;

/// <summary>
/// The test oracle: causal attention over exactly the tokens in the call, one sequence starting
/// at position 0, no cache, no pages. Written with the repeated key/value heads of the textbook
/// form, not the folded form of <see cref="GroupedQueryAttention"/>, so the two check each other.
/// </summary>
public sealed class ReferenceAttention : IAttentionKernel
{
    public Tensor Attend(int layer, Tensor q, Tensor k, Tensor v)
    {
        using var scope = NewDisposeScope();
        using var minusInfinity = float.NegativeInfinity.ToScalar(); // explicit: alive for the call
        long tokens = q.shape[0], heads = q.shape[1], headDim = q.shape[2];
        long groups = heads / k.shape[1];
        var keys = k.repeat_interleave(groups, dim: 1).permute(1, 0, 2);    // (heads, T, hd)
        var values = v.repeat_interleave(groups, dim: 1).permute(1, 0, 2);  // (heads, T, hd)
        var queries = q.permute(1, 0, 2);                                   // (heads, T, hd)
        using var scale = (1.0 / Math.Sqrt(headDim)).ToScalar();
        var scores = torch.matmul(queries, keys.transpose(1, 2)).to(ScalarType.Float32).mul_(scale); // (heads, T, T)
        var mask = torch.ones(tokens, tokens, dtype: ScalarType.Bool, device: q.device).triu(1);
        scores = scores.masked_fill(mask, minusInfinity);
        var output = torch.matmul(scores.softmax(-1).to(q.dtype), values);  // (heads, T, hd)
        return output.permute(1, 0, 2).contiguous().MoveToOuterDisposeScope(); // (T, heads, hd)
    }
}
