using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunChunk(int chunk)
    {
        int sequence = chunk / _heads, head = chunk % _heads;
        int kvHead = head / (_heads / _kvHeads);
        var slots = _slots[sequence];
        int context = slots.Length;
        var scoreArray = _scores is { } s && s.Length >= context ? s : _scores = new float[Math.Max(context, 256)];
        long rowStride = (long)_kvHeads * _headDim;
        float* q = _queries + sequence * _queryStride + (long)head * _headDim;
        float* output = _output + ((long)sequence * _heads + head) * _headDim;
        float* keys = _keys + (long)kvHead * _headDim;
        float* values = _values + (long)kvHead * _headDim;
        fixed (long* slot = slots)
        fixed (float* scores = scoreArray)
        {
            // Scores four slots at a time (independent chains), then the rest one by one.
            var scale = Vector128.Create(_scale);
            var maxima = Vector128.Create(float.NegativeInfinity);
            int t = 0;
            for (; t + 4 <= context; t += 4)
            {
                var four = VectorOps.Dot4(q, keys + slot[t] * rowStride, keys + slot[t + 1] * rowStride,
                    keys + slot[t + 2] * rowStride, keys + slot[t + 3] * rowStride, _headDim) * scale;
                four.Store(scores + t);
                maxima = Vector128.Max(maxima, four);
            }
            float max = MathF.Max(MathF.Max(maxima[0], maxima[1]), MathF.Max(maxima[2], maxima[3]));
            for (; t < context; t++)
            {
                scores[t] = VectorOps.Dot(q, keys + slot[t] * rowStride, _headDim) * _scale;
                max = MathF.Max(max, scores[t]);
            }
            float inverseTotal = 1f / VectorOps.ExpShifted(scores, context, max);

            new Span<float>(output, _headDim).Clear();
            t = 0;
            for (; t + 4 <= context; t += 4)
                VectorOps.MultiplyAdd4(Vector128.Load(scores + t) * inverseTotal, values + slot[t] * rowStride, values + slot[t + 1] * rowStride,
                    values + slot[t + 2] * rowStride, values + slot[t + 3] * rowStride, output, _headDim);
            for (; t < context; t++)
                VectorOps.MultiplyAdd(scores[t] * inverseTotal, values + slot[t] * rowStride, output, _headDim);
        }
    }
}
