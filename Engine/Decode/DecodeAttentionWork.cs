using Cluster.Engine.Kernels;

namespace Cluster.Engine.Decode;

/// <summary>
/// Attention of one new token per sequence over its cached context, read slot by slot from the
/// pages: softmax(q·kᵀ/√d)·v for every (sequence, query head), one chunk each. Query heads that
/// share a key/value head read the same cache rows.
/// </summary>
internal sealed unsafe class DecodeAttentionWork : IChunkedWork
{
    [ThreadStatic] private static float[]? _scores;

    private float* _queries;   // row b at b·queryStride: (heads, headDim)
    private long _queryStride;
    private float* _output;    // (B, heads, headDim)
    private float* _keys;      // (slots, kvHeads, headDim)
    private float* _values;    // (slots, kvHeads, headDim)
    private long[][] _slots = [];
    private int _heads, _kvHeads, _headDim;
    private float _scale;

    public int Prepare(float* queries, long queryStride, float* output, float* keys, float* values, long[][] slots, int heads, int kvHeads, int headDim)
    {
        _queries = queries;
        _queryStride = queryStride;
        _output = output;
        _keys = keys;
        _values = values;
        _slots = slots;
        (_heads, _kvHeads, _headDim) = (heads, kvHeads, headDim);
        _scale = 1f / MathF.Sqrt(headDim);
        return slots.Length * heads;
    }

    public void RunChunk(int chunk)
    {
        int sequence = chunk / _heads, head = chunk % _heads;
        int kvHead = head / (_heads / _kvHeads);
        var slots = _slots[sequence];
        int context = slots.Length;
        var scores = _scores is { } s && s.Length >= context ? s : _scores = new float[Math.Max(context, 256)];
        long rowStride = (long)_kvHeads * _headDim;
        float* q = _queries + sequence * _queryStride + (long)head * _headDim;
        float* output = _output + ((long)sequence * _heads + head) * _headDim;

        float max = float.NegativeInfinity;
        for (int t = 0; t < context; t++)
        {
            float score = VectorOps.Dot(q, _keys + slots[t] * rowStride + (long)kvHead * _headDim, _headDim) * _scale;
            scores[t] = score;
            if (score > max) max = score;
        }
        float total = 0;
        for (int t = 0; t < context; t++) total += scores[t] = MathF.Exp(scores[t] - max);
        new Span<float>(output, _headDim).Clear();
        for (int t = 0; t < context; t++)
            VectorOps.MultiplyAdd(scores[t] / total, _values + slots[t] * rowStride + (long)kvHead * _headDim, output, _headDim);
    }
}
