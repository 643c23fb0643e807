using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Attention;

/// <summary>
/// Scaled dot-product attention of one sequence's queries over its keys, with grouped-query
/// heads folded into the query rows so no key/value head is copied.
/// </summary>
internal static class GroupedQueryAttention
{
    /// <param name="q">(Q, heads, hd)</param>
    /// <param name="k">(C, kvHeads, hd)</param>
    /// <param name="v">(C, kvHeads, hd)</param>
    /// <param name="firstQueryPosition">position of q's first row; query i sees keys 0..firstQueryPosition+i</param>
    /// <returns>(Q, heads, hd)</returns>
    public static Tensor Causal(Tensor q, Tensor k, Tensor v, long firstQueryPosition)
    {
        using var scope = NewDisposeScope();
        // Explicit Scalars, alive for the calls (implicit ones can be finalized mid-call).
        using var scale = (1.0 / Math.Sqrt(q.shape[2])).ToScalar();
        using var minusInfinity = float.NegativeInfinity.ToScalar();
        long queries = q.shape[0], heads = q.shape[1], headDim = q.shape[2];
        long context = k.shape[0], kvHeads = k.shape[1], groups = heads / kvHeads;

        var qg = q.view(queries, kvHeads, groups, headDim).permute(1, 2, 0, 3)
                  .reshape(kvHeads, groups * queries, headDim);                  // (kvH, G*Q, hd)
        var kt = k.permute(1, 2, 0);                                             // (kvH, hd, C)
        var scores = torch.bmm(qg, kt).view(kvHeads, groups, queries, context)   // (kvH, G, Q, C)
                         .to(ScalarType.Float32).mul_(scale);
        if (queries > 1 || firstQueryPosition + 1 < context)
        {
            var queryPositions = torch.arange(firstQueryPosition, firstQueryPosition + queries, device: q.device).unsqueeze(1);
            var keyPositions = torch.arange(context, device: q.device).unsqueeze(0);
            var future = keyPositions > queryPositions;                          // (Q, C)
            scores = scores.masked_fill(future, minusInfinity);
        }
        var weights = scores.softmax(-1).to(q.dtype).view(kvHeads, groups * queries, context);
        var output = torch.bmm(weights, v.permute(1, 0, 2))                      // (kvH, G*Q, hd)
                          .view(kvHeads, groups, queries, headDim)
                          .permute(2, 0, 1, 3)                                   // (Q, kvH, G, hd)
                          .reshape(queries, heads, headDim);
        return output.MoveToOuterDisposeScope();
    }
}
