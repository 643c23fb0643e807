using System.Runtime.InteropServices;
using Cluster.Engine.Attention;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Decode;

/// <summary>
/// A decode pass of up to 64 sequences (one new token each) on the CPU in float32, written against
/// the stage's weights and pages directly, as llama.cpp and llama2.c do. Through libtorch the same
/// token costs some 60 operator calls per layer at several microseconds each, which at this size
/// is as long as streaming the weights; here the only costly steps are the matrix products
/// (<see cref="CpuLinear"/>) and attention over the pages, both spread over
/// <see cref="KernelThreads"/>. It computes what <see cref="LlamaStageModel.Forward"/> and
/// <see cref="PagedAttention"/> compute, step for step in float32; tests hold it to them.
/// </summary>
internal sealed unsafe class FusedDecodePass
{
    /// <summary>Sequences per pass up to which this path is taken; its activation buffers (the logits above all) are sized for it.</summary>
    public const int MaxSequences = 64;

    private readonly LlamaStageModel _model;
    private readonly PagedKvCache _cache;
    private readonly DecodeLayerWeights[] _layers;
    private readonly float[] _inverseFrequencies;
    private readonly DecodeAttentionWork _attention = new();
    private readonly int _hidden, _heads, _kvHeads, _headDim, _qkvWidth, _intermediate;
    private readonly float _eps;
    // Activations of up to MaxSequences rows, pinned so their addresses can be handed to the kernels.
    private readonly float[] _x, _normed, _qkv, _attended, _projected, _gateUp, _activated, _rotation;
    private readonly float[]? _logits;

    public FusedDecodePass(LlamaStageModel model, PagedKvCache cache)
    {
        _model = model;
        _cache = cache;
        var config = model.Config;
        (_hidden, _heads, _kvHeads, _headDim, _intermediate) =
            (config.HiddenSize, config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim, config.IntermediateSize);
        _qkvWidth = (_heads + 2 * _kvHeads) * _headDim;
        _eps = (float)config.RmsNormEps;
        _layers = model.layers.Select((layer, i) => new DecodeLayerWeights(layer, cache, i)).ToArray();
        _inverseFrequencies = RotaryEmbedding.InverseFrequencies(config);
        _x = Pinned(_hidden);
        _normed = Pinned(_hidden);
        _qkv = Pinned(_qkvWidth);
        _attended = Pinned(_heads * _headDim);
        _projected = Pinned(_hidden);
        _gateUp = Pinned(2 * _intermediate);
        _activated = Pinned(_intermediate);
        _rotation = GC.AllocateArray<float>(_headDim, pinned: true); // cos in the first half, sin in the second
        if (model.Range.IsLast) _logits = Pinned(config.VocabSize);
    }

    public static bool Supports(LlamaStageModel model) =>
        CpuKernels.Supported && model.Device.type == DeviceType.CPU && model.Dtype == ScalarType.Float32;

    public static bool Applies(IReadOnlyList<StageWork> batch) =>
        CpuKernels.Enabled && batch.Count <= MaxSequences && batch.All(w => w.TokenCount == 1);

    public IReadOnlyList<StageResult> Run(IReadOnlyList<StageWork> batch)
    {
        int count = batch.Count;
        var slots = batch.Select(w => ContextSlots(w.ToPaged(0))).ToArray();
        fixed (float* x = _x, normed = _normed, qkv = _qkv, attended = _attended, projected = _projected, gateUp = _gateUp, activated = _activated)
        {
            LoadInput(batch, x);
            foreach (var layer in _layers)
            {
                for (int b = 0; b < count; b++) VectorOps.RmsNorm(x + b * _hidden, layer.InputNorm, _eps, normed + b * _hidden, _hidden);
                Multiply(normed, layer.QkvProjection, qkv, _qkvWidth, _hidden, count);
                for (int b = 0; b < count; b++)
                {
                    float* row = qkv + (long)b * _qkvWidth;
                    if (layer.QkvBias is not null) VectorOps.Add(layer.QkvBias, row, _qkvWidth);
                    Rotate(row, batch[b].CachedTokens);
                    StoreKeyValue(layer, row, slots[b][^1]);
                }
                var threads = KernelThreads.Shared;
                threads.Run(_attention, _attention.Prepare(qkv, _qkvWidth, attended, layer.Keys, layer.Values, slots, _heads, _kvHeads, _headDim, threads.ThreadCount));
                _attention.MergeParts();
                Multiply(attended, layer.OutputProjection, projected, _hidden, _heads * _headDim, count);
                VectorOps.Add(projected, x, count * _hidden);

                for (int b = 0; b < count; b++) VectorOps.RmsNorm(x + b * _hidden, layer.PostAttentionNorm, _eps, normed + b * _hidden, _hidden);
                Multiply(normed, layer.GateUpProjection, gateUp, 2 * _intermediate, _hidden, count);
                for (int b = 0; b < count; b++)
                    VectorOps.SiluTimes(gateUp + b * 2L * _intermediate, gateUp + b * 2L * _intermediate + _intermediate, activated + b * _intermediate, _intermediate);
                Multiply(activated, layer.DownProjection, projected, _hidden, _intermediate, count);
                VectorOps.Add(projected, x, count * _hidden);
            }
            return _model.Range.IsLast ? Finish(batch, x, normed) : Pack(batch, x);
        }
    }

    private void LoadInput(IReadOnlyList<StageWork> batch, float* x)
    {
        for (int b = 0; b < batch.Count; b++)
        {
            var row = new Span<float>(x + b * _hidden, _hidden);
            if (_model.Range.IsFirst)
            {
                int token = batch[b].TokenIds![0];
                if ((uint)token >= (uint)_model.Config.VocabSize)
                    throw new ArgumentOutOfRangeException(nameof(batch), $"token id {token} of sequence {batch[b].SequenceId} is outside the vocabulary of {_model.Config.VocabSize}");
                new ReadOnlySpan<float>((float*)TensorMemory.Pointer(_model.embed_tokens!) + (long)token * _hidden, _hidden).CopyTo(row);
            }
            else
            {
                MemoryMarshal.Cast<byte, float>(batch[b].Hidden).CopyTo(row);
            }
        }
    }

    private long[] ContextSlots(PagedSequence sequence)
    {
        var slots = new long[sequence.ContextLength];
        for (int p = 0; p < slots.Length; p++) slots[p] = sequence.Slot(p, _cache.PageSize);
        return slots;
    }

    /// <summary>Rotates the row's query and key heads (they lie side by side) to the token's position.</summary>
    private void Rotate(float* qkvRow, int position)
    {
        int half = _headDim / 2;
        fixed (float* rotation = _rotation)
        {
            for (int i = 0; i < half; i++)
            {
                float angle = position * _inverseFrequencies[i];
                rotation[i] = MathF.Cos(angle);
                rotation[half + i] = MathF.Sin(angle);
            }
            VectorOps.RotateHalf(qkvRow, _heads + _kvHeads, _headDim, rotation, rotation + half);
        }
    }

    private void StoreKeyValue(in DecodeLayerWeights layer, float* qkvRow, long slot)
    {
        int width = _kvHeads * _headDim;
        long bytes = width * sizeof(float);
        Buffer.MemoryCopy(qkvRow + _heads * _headDim, layer.Keys + slot * width, bytes, bytes);
        Buffer.MemoryCopy(qkvRow + _heads * _headDim + width, layer.Values + slot * width, bytes, bytes);
    }

    private static void Multiply(float* input, float* weights, float* output, int rows, int columns, int tokens) =>
        CpuLinear.Multiply(new MatMulArguments { Weights = weights, Input = input, Output = output, Rows = rows, Columns = columns, Tokens = tokens });

    private IReadOnlyList<StageResult> Pack(IReadOnlyList<StageWork> batch, float* x)
    {
        var results = new StageResult[batch.Count];
        for (int b = 0; b < batch.Count; b++)
            results[b] = new StageResult(batch[b].SequenceId)
            {
                Hidden = MemoryMarshal.AsBytes(new ReadOnlySpan<float>(x + b * _hidden, _hidden)).ToArray(),
            };
        return results;
    }

    /// <summary>Final norm and LM head for the sequences that want output (one product for all of them), then sampling.</summary>
    private IReadOnlyList<StageResult> Finish(IReadOnlyList<StageWork> batch, float* x, float* normed)
    {
        int vocab = _model.Config.VocabSize;
        var results = batch.Select(w => new StageResult(w.SequenceId)).ToArray();
        var wanted = Enumerable.Range(0, batch.Count).Where(b => !batch[b].Output.IsNone).ToArray();
        if (wanted.Length == 0) return results;
        var norm = (float*)TensorMemory.Pointer(_model.norm!.weight);
        for (int n = 0; n < wanted.Length; n++)
            VectorOps.RmsNorm(x + wanted[n] * _hidden, norm, _eps, normed + n * _hidden, _hidden);
        fixed (float* logits = _logits)
        {
            Multiply(normed, (float*)TensorMemory.Pointer(_model.lm_head!), logits, vocab, _hidden, wanted.Length);
            OutputRows.Fill(batch, wanted, logits, vocab, results);
        }
        return results;
    }

    private static float[] Pinned(int perRow) => GC.AllocateArray<float>(perRow * MaxSequences, pinned: true);
}
