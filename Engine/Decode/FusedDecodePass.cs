using System.Runtime.InteropServices;
using Cluster.Engine.Attention;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Decode;

/// <summary>
/// A decode pass of up to 64 sequences (one new token each) on the CPU, written against
/// the stage's weights and pages directly, as llama.cpp and llama2.c do. Through libtorch the same
/// token costs some 60 operator calls per layer at several microseconds each, which at this size
/// is as long as streaming the weights; here the only costly steps are the matrix products
/// (<see cref="CpuLinear"/>) and attention over the pages, both spread over
/// <see cref="KernelThreads"/>. It computes what <see cref="LlamaStageModel.Forward"/> and
/// <see cref="PagedAttention"/> compute, step for step in float32; tests hold it to them.
/// A bfloat16 stage streams its bfloat16 weights and pages (half the bytes of float32, the speed of
/// decode being the speed of reading them) and keeps its activations in float32 within the pass:
/// what leaves it (hidden states, keys and values) is rounded to bfloat16 as libtorch rounds it.
/// </summary>
internal sealed unsafe class FusedDecodePass
{
    /// <summary>Sequences per pass up to which this path is taken; its activation buffers (the logits above all) are sized for it.</summary>
    public const int MaxSequences = 64;

    private readonly LlamaStageModel _model;
    private readonly PagedKvCache _cache;
    private readonly DecodeLayerWeights[] _layers;
    private readonly WeightMatrix _embedding, _head;
    private readonly float* _finalNorm;
    private readonly List<Tensor> _float32Copies = []; // norms and biases of a bfloat16 stage, as float32
    private readonly bool _bfloat16;
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
        _bfloat16 = model.Dtype == ScalarType.BFloat16;
        _layers = model.layers.Select((layer, i) => new DecodeLayerWeights(layer, cache, i, _float32Copies)).ToArray();
        if (model.Range.IsFirst) _embedding = new WeightMatrix(model.embed_tokens!);
        if (model.Range.IsLast)
        {
            _head = new WeightMatrix(model.lm_head!);
            _finalNorm = DecodeLayerWeights.Float32(model.norm!.weight, _float32Copies);
        }
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
        CpuKernels.Supported && model.Device.type == DeviceType.CPU && model.Dtype is (ScalarType.Float32 or ScalarType.BFloat16);

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
                layer.QkvProjection.Multiply(normed, qkv, count);
                for (int b = 0; b < count; b++)
                {
                    float* row = qkv + (long)b * _qkvWidth;
                    if (layer.QkvBias is not null) VectorOps.Add(layer.QkvBias, row, _qkvWidth);
                    Rotate(row, batch[b].CachedTokens);
                    StoreKeyValue(layer, row, slots[b][^1]);
                }
                var threads = KernelThreads.Shared;
                threads.Run(_attention, _attention.Prepare(qkv, _qkvWidth, attended, layer.Keys, layer.Values, _bfloat16, slots, _heads, _kvHeads, _headDim, threads.ThreadCount));
                _attention.MergeParts();
                layer.OutputProjection.Multiply(attended, projected, count);
                VectorOps.Add(projected, x, count * _hidden);

                for (int b = 0; b < count; b++) VectorOps.RmsNorm(x + b * _hidden, layer.PostAttentionNorm, _eps, normed + b * _hidden, _hidden);
                layer.GateUpProjection.Multiply(normed, gateUp, count);
                for (int b = 0; b < count; b++)
                    VectorOps.SiluTimes(gateUp + b * 2L * _intermediate, gateUp + b * 2L * _intermediate + _intermediate, activated + b * _intermediate, _intermediate);
                layer.DownProjection.Multiply(activated, projected, count);
                VectorOps.Add(projected, x, count * _hidden);
            }
            return _model.Range.IsLast ? Finish(batch, x, normed) : Pack(batch, x);
        }
    }

    private void LoadInput(IReadOnlyList<StageWork> batch, float* x)
    {
        for (int b = 0; b < batch.Count; b++)
        {
            float* row = x + b * _hidden;
            if (_model.Range.IsFirst)
            {
                int token = batch[b].TokenIds![0];
                if ((uint)token >= (uint)_model.Config.VocabSize)
                    throw new ArgumentOutOfRangeException(nameof(batch), $"token id {token} of sequence {batch[b].SequenceId} is outside the vocabulary of {_model.Config.VocabSize}");
                _embedding.CopyRow(token, row);
            }
            else if (_bfloat16)
            {
                fixed (byte* hidden = batch[b].Hidden) BFloat16Ops.Widen((ushort*)hidden, row, _hidden);
            }
            else
            {
                MemoryMarshal.Cast<byte, float>(batch[b].Hidden).CopyTo(new Span<float>(row, _hidden));
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
        float* key = qkvRow + _heads * _headDim, value = key + width;
        if (_bfloat16)
        {
            BFloat16Ops.Narrow(key, (ushort*)layer.Keys + slot * width, width);
            BFloat16Ops.Narrow(value, (ushort*)layer.Values + slot * width, width);
            return;
        }
        long bytes = width * sizeof(float);
        Buffer.MemoryCopy(key, (float*)layer.Keys + slot * width, bytes, bytes);
        Buffer.MemoryCopy(value, (float*)layer.Values + slot * width, bytes, bytes);
    }

    private IReadOnlyList<StageResult> Pack(IReadOnlyList<StageWork> batch, float* x)
    {
        var results = new StageResult[batch.Count];
        for (int b = 0; b < batch.Count; b++)
        {
            float* row = x + b * _hidden;
            byte[] hidden;
            if (_bfloat16)
            {
                hidden = new byte[_hidden * sizeof(ushort)];
                fixed (byte* destination = hidden) BFloat16Ops.Narrow(row, (ushort*)destination, _hidden);
            }
            else
            {
                hidden = MemoryMarshal.AsBytes(new ReadOnlySpan<float>(row, _hidden)).ToArray();
            }
            results[b] = new StageResult(batch[b].SequenceId) { Hidden = hidden };
        }
        return results;
    }

    /// <summary>Final norm and LM head for the sequences that want output (one product for all of them), then sampling.</summary>
    private IReadOnlyList<StageResult> Finish(IReadOnlyList<StageWork> batch, float* x, float* normed)
    {
        int vocab = _model.Config.VocabSize;
        var results = batch.Select(w => new StageResult(w.SequenceId)).ToArray();
        var wanted = Enumerable.Range(0, batch.Count).Where(b => !batch[b].Output.IsNone).ToArray();
        if (wanted.Length == 0) return results;
        for (int n = 0; n < wanted.Length; n++)
            VectorOps.RmsNorm(x + wanted[n] * _hidden, _finalNorm, _eps, normed + n * _hidden, _hidden);
        fixed (float* logits = _logits)
        {
            _head.Multiply(normed, logits, wanted.Length);
            OutputRows.Fill(batch, wanted, logits, vocab, results);
        }
        return results;
    }

    private static float[] Pinned(int perRow) => GC.AllocateArray<float>(perRow * MaxSequences, pinned: true);
}
