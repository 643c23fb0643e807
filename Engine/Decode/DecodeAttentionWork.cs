using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Cluster.Engine.Kernels;

namespace Cluster.Engine.Decode;

/// <summary>
/// Attention of one new token per sequence over its cached context, read slot by slot from the
/// pages: softmax(q·kᵀ/√d)·v for every query head. A chunk is one sequence and a group of its
/// key/value heads (all of them once there are enough sequences to keep every thread busy). It
/// walks the context slot by slot and reads each slot's keys and values for the group in one run
/// of memory, as the pages store them: walking head by head would read a few hundred bytes per
/// slot, a cache-line stride apart, which runs at the latency of memory rather than its
/// bandwidth. Query heads that share a key/value head read the same cache rows.
/// </summary>
internal sealed unsafe class DecodeAttentionWork : IChunkedWork
{
    /// <summary>Chunks per thread aimed at, so that a thread slowed by the VM is balanced by the others.</summary>
    private const int ChunksPerThread = 4;

    [ThreadStatic] private static float[]? _scores;

    private float* _queries;   // row b at b·queryStride: (heads, headDim)
    private long _queryStride;
    private float* _output;    // (B, heads, headDim)
    private float* _keys;      // (slots, kvHeads, headDim)
    private float* _values;    // (slots, kvHeads, headDim)
    private long[][] _slots = [];
    private int _heads, _kvHeads, _headDim, _kvHeadsPerChunk, _chunksPerSequence;
    private float _scale;

    public int Prepare(float* queries, long queryStride, float* output, float* keys, float* values, long[][] slots,
        int heads, int kvHeads, int headDim, int threads)
    {
        _queries = queries;
        _queryStride = queryStride;
        _output = output;
        _keys = keys;
        _values = values;
        _slots = slots;
        (_heads, _kvHeads, _headDim) = (heads, kvHeads, headDim);
        _scale = 1f / MathF.Sqrt(headDim);
        int wanted = Math.Clamp((threads * ChunksPerThread + slots.Length - 1) / Math.Max(1, slots.Length), 1, kvHeads);
        _kvHeadsPerChunk = (kvHeads + wanted - 1) / wanted;
        _chunksPerSequence = (kvHeads + _kvHeadsPerChunk - 1) / _kvHeadsPerChunk;
        return slots.Length * _chunksPerSequence;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunChunk(int chunk)
    {
        int sequence = chunk / _chunksPerSequence;
        int firstKv = chunk % _chunksPerSequence * _kvHeadsPerChunk, endKv = Math.Min(_kvHeads, firstKv + _kvHeadsPerChunk);
        int group = _heads / _kvHeads; // query heads per key/value head
        int firstHead = firstKv * group, headCount = (endKv - firstKv) * group;
        var slots = _slots[sequence];
        int context = slots.Length;
        long need = (long)headCount * context;
        var scoreArray = _scores is { } s && s.Length >= need ? s : _scores = new float[Math.Max(need, 4096)];
        long rowStride = (long)_kvHeads * _headDim;
        float* queries = _queries + sequence * _queryStride + (long)firstHead * _headDim;
        float* output = _output + ((long)sequence * _heads + firstHead) * _headDim;
        float* keys = _keys + (long)firstKv * _headDim;
        float* values = _values + (long)firstKv * _headDim;
        fixed (long* slot = slots)
        fixed (float* scores = scoreArray) // head h's scores at h·context
        {
            for (int t = 0; t < context; t++)
            {
                float* row = keys + slot[t] * rowStride;
                for (int h = 0; h < headCount; h++)
                    scores[(long)h * context + t] = VectorOps.Dot(queries + (long)h * _headDim, row + (long)(h / group) * _headDim, _headDim) * _scale;
            }
            for (int h = 0; h < headCount; h++)
            {
                float* headScores = scores + (long)h * context;
                float inverseTotal = 1f / VectorOps.ExpShifted(headScores, context, VectorOps.Max(headScores, context));
                VectorOps.Scale(headScores, inverseTotal, context);
            }

            new Span<float>(output, headCount * _headDim).Clear();
            for (int t = 0; t < context; t++)
            {
                float* row = values + slot[t] * rowStride;
                for (int h = 0; h < headCount; h++)
                    VectorOps.MultiplyAdd(scores[(long)h * context + t], row + (long)(h / group) * _headDim, output + (long)h * _headDim, _headDim);
            }
        }
    }
}
