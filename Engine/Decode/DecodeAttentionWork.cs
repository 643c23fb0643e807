using System.Runtime.CompilerServices;
using Cluster.Engine.Kernels;

namespace Cluster.Engine.Decode;

/// <summary>
/// Attention of one new token per sequence over its cached context, read slot by slot from the
/// pages: softmax(q·kᵀ/√d)·v for every query head. A chunk is a run of one sequence's context
/// slots for all its heads: it reads each slot's keys and values in one run of memory, as the
/// pages store them (walking head by head would read a few hundred bytes per slot, a cache-line
/// stride apart, at the latency of memory rather than its bandwidth). With many sequences a chunk
/// is a whole context; with few, long contexts are cut into parts so every thread has some, each
/// part's softmax kept unnormalized with its own maximum, and the parts merged after (as
/// flash-decoding does). Query heads that share a key/value head read the same cache rows. The
/// pages hold float32 or bfloat16 (widened as they are read); the arithmetic is float32.
/// </summary>
internal sealed unsafe class DecodeAttentionWork : IChunkedWork
{
    /// <summary>Chunks per thread aimed at, so that a thread slowed by the VM is balanced by the others.</summary>
    private const int ChunksPerThread = 4;

    /// <summary>Fewest slots in a part of a cut context: below it merging costs more than it spreads.</summary>
    private const int MinPartSlots = 64;

    /// <summary>
    /// Slots ahead whose keys or values are asked for while a slot is computed. The hardware
    /// prefetchers follow a run of memory but not the jump to the next page of a context, nor
    /// across 4 KiB boundaries; asking two slots (6 KiB of the 110M shape) ahead took cold
    /// attention (its K/V coming from memory, as in a pass) from 46 to 35 µs for one sequence of
    /// 96 tokens and from 6.4 to 4.6 ms for 32 of 512 (docs/benchmarks.md).
    /// </summary>
    private const int PrefetchSlots = 2;

    [ThreadStatic] private static float[]? _scores;

    private float* _queries;   // row b at b·queryStride: (heads, headDim)
    private long _queryStride;
    private float* _output;    // (B, heads, headDim)
    private byte* _keys;       // (slots, kvHeads, headDim)
    private byte* _values;     // (slots, kvHeads, headDim)
    private bool _bfloat16;    // the pages' dtype: bfloat16, else float32
    private int _elementSize;
    private long[][] _slots = [];
    private int _heads, _kvHeads, _headDim;
    private float _scale;
    // Chunk c covers slots [_firstSlot[c], _endSlot[c]) of sequence _sequence[c]; _parts[b] chunks
    // cover sequence b, from chunk _firstChunk[b] on.
    private int[] _sequence = [], _firstSlot = [], _endSlot = [], _parts = [], _firstChunk = [];
    // A part of a cut context: its unnormalized output (heads, headDim), and per head its maximum
    // score and its sum of exponentials.
    private float[] _partOutputs = [], _partMaxima = [], _partTotals = [];

    public int Prepare(float* queries, long queryStride, float* output, void* keys, void* values, bool bfloat16, long[][] slots,
        int heads, int kvHeads, int headDim, int threads)
    {
        _queries = queries;
        _queryStride = queryStride;
        _output = output;
        _keys = (byte*)keys;
        _values = (byte*)values;
        _bfloat16 = bfloat16;
        _elementSize = bfloat16 ? sizeof(ushort) : sizeof(float);
        _slots = slots;
        (_heads, _kvHeads, _headDim) = (heads, kvHeads, headDim);
        _scale = 1f / MathF.Sqrt(headDim);
        int count = slots.Length;
        Grow(ref _parts, count);
        Grow(ref _firstChunk, count);
        int wanted = Math.Max(1, (threads * ChunksPerThread + count - 1) / count); // parts per sequence aimed at
        int chunks = 0;
        for (int b = 0; b < count; b++)
        {
            _parts[b] = Math.Clamp(slots[b].Length / MinPartSlots, 1, wanted);
            _firstChunk[b] = chunks;
            chunks += _parts[b];
        }
        Grow(ref _sequence, chunks);
        Grow(ref _firstSlot, chunks);
        Grow(ref _endSlot, chunks);
        for (int b = 0; b < count; b++)
        {
            int context = slots[b].Length, parts = _parts[b];
            for (int p = 0; p < parts; p++)
            {
                int chunk = _firstChunk[b] + p;
                _sequence[chunk] = b;
                _firstSlot[chunk] = (int)((long)context * p / parts);
                _endSlot[chunk] = (int)((long)context * (p + 1) / parts);
            }
        }
        Grow(ref _partOutputs, chunks * heads * headDim);
        Grow(ref _partMaxima, chunks * heads);
        Grow(ref _partTotals, chunks * heads);
        return chunks;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunChunk(int chunk)
    {
        int sequence = _sequence[chunk], first = _firstSlot[chunk], length = _endSlot[chunk] - first;
        bool whole = _parts[sequence] == 1;
        int group = _heads / _kvHeads; // query heads per key/value head
        long need = (long)_heads * length;
        var scoreArray = _scores is { } s && s.Length >= need ? s : _scores = new float[Math.Max(need, 4096)];
        long rowBytes = (long)_kvHeads * _headDim * _elementSize, headBytes = (long)_headDim * _elementSize;
        long prefetchFloats = rowBytes / sizeof(float);
        float* queries = _queries + sequence * _queryStride;
        fixed (long* slots = _slots[sequence])
        fixed (float* scores = scoreArray) // head h's scores at h·length
        fixed (float* partOutputs = _partOutputs, partMaxima = _partMaxima, partTotals = _partTotals)
        {
            long* slot = slots + first;
            for (int t = 0; t < Math.Min(PrefetchSlots, length); t++) VectorOps.Prefetch((float*)(_keys + slot[t] * rowBytes), prefetchFloats);
            for (int t = 0; t < length; t++)
            {
                if (t + PrefetchSlots < length) VectorOps.Prefetch((float*)(_keys + slot[t + PrefetchSlots] * rowBytes), prefetchFloats);
                byte* row = _keys + slot[t] * rowBytes;
                for (int h = 0; h < _heads; h++)
                {
                    float* query = queries + (long)h * _headDim;
                    byte* key = row + h / group * headBytes;
                    float dot = _bfloat16 ? BFloat16Ops.Dot(query, (ushort*)key, _headDim) : VectorOps.Dot(query, (float*)key, _headDim);
                    scores[(long)h * length + t] = dot * _scale;
                }
            }
            for (int t = 0; t < Math.Min(PrefetchSlots, length); t++) VectorOps.Prefetch((float*)(_values + slot[t] * rowBytes), prefetchFloats); // while the softmax runs
            float* output = whole ? _output + (long)sequence * _heads * _headDim : partOutputs + (long)chunk * _heads * _headDim;
            for (int h = 0; h < _heads; h++)
            {
                float* headScores = scores + (long)h * length;
                float max = VectorOps.Max(headScores, length);
                float total = VectorOps.ExpShifted(headScores, length, max);
                if (whole)
                {
                    VectorOps.Scale(headScores, 1f / total, length);
                }
                else
                {
                    partMaxima[(long)chunk * _heads + h] = max;
                    partTotals[(long)chunk * _heads + h] = total;
                }
            }

            new Span<float>(output, _heads * _headDim).Clear();
            for (int t = 0; t < length; t++)
            {
                if (t + PrefetchSlots < length) VectorOps.Prefetch((float*)(_values + slot[t + PrefetchSlots] * rowBytes), prefetchFloats);
                byte* row = _values + slot[t] * rowBytes;
                for (int h = 0; h < _heads; h++)
                {
                    byte* value = row + h / group * headBytes;
                    float weight = scores[(long)h * length + t];
                    if (_bfloat16) BFloat16Ops.MultiplyAdd(weight, (ushort*)value, output + (long)h * _headDim, _headDim);
                    else VectorOps.MultiplyAdd(weight, (float*)value, output + (long)h * _headDim, _headDim);
                }
            }
        }
    }

    /// <summary>
    /// Merges the parts of every cut context into its output, after all chunks ran: each part's
    /// sums rescaled from its own maximum to the context's, then divided by the context's total.
    /// </summary>
    public void MergeParts()
    {
        fixed (float* partOutputs = _partOutputs, partMaxima = _partMaxima, partTotals = _partTotals)
        {
            for (int b = 0; b < _slots.Length; b++)
            {
                int parts = _parts[b], firstChunk = _firstChunk[b];
                if (parts == 1) continue;
                for (int h = 0; h < _heads; h++)
                {
                    float max = float.NegativeInfinity, total = 0;
                    for (int p = 0; p < parts; p++) max = MathF.Max(max, partMaxima[(long)(firstChunk + p) * _heads + h]);
                    for (int p = 0; p < parts; p++)
                        total += partTotals[(long)(firstChunk + p) * _heads + h] * MathF.Exp(partMaxima[(long)(firstChunk + p) * _heads + h] - max);
                    float* output = _output + ((long)b * _heads + h) * _headDim;
                    new Span<float>(output, _headDim).Clear();
                    for (int p = 0; p < parts; p++)
                    {
                        long at = (long)(firstChunk + p) * _heads + h;
                        VectorOps.MultiplyAdd(MathF.Exp(partMaxima[at] - max) / total, partOutputs + at * _headDim, output, _headDim);
                    }
                }
            }
        }
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length < length) array = new T[Math.Max(length, array.Length * 2)];
    }
}
