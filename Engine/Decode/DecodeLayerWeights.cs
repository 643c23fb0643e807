using Cluster.Engine.Kernels;
using Cluster.Engine.Model;

namespace Cluster.Engine.Decode;

/// <summary>
/// Addresses of one decoder layer's float32 tensors and of its K/V cache. The tensors belong to
/// the stage model and the cache, which outlive every pass, so the addresses stay valid.
/// </summary>
internal readonly unsafe struct DecodeLayerWeights
{
    public DecodeLayerWeights(LlamaDecoderLayer layer, Attention.PagedKvCache cache, int stageLayer)
    {
        InputNorm = (float*)TensorMemory.Pointer(layer.input_layernorm.weight);
        QkvProjection = (float*)TensorMemory.Pointer(layer.self_attn.qkv_proj);
        QkvBias = layer.self_attn.qkv_bias is { } bias ? (float*)TensorMemory.Pointer(bias) : null;
        OutputProjection = (float*)TensorMemory.Pointer(layer.self_attn.o_proj);
        PostAttentionNorm = (float*)TensorMemory.Pointer(layer.post_attention_layernorm.weight);
        GateUpProjection = (float*)TensorMemory.Pointer(layer.mlp.gate_up_proj);
        DownProjection = (float*)TensorMemory.Pointer(layer.mlp.down_proj);
        Keys = (float*)TensorMemory.Pointer(cache.Keys(stageLayer));
        Values = (float*)TensorMemory.Pointer(cache.Values(stageLayer));
    }

    public float* InputNorm { get; }
    public float* QkvProjection { get; }
    public float* QkvBias { get; }
    public float* OutputProjection { get; }
    public float* PostAttentionNorm { get; }
    public float* GateUpProjection { get; }
    public float* DownProjection { get; }

    /// <summary>(slots, kvHeads, headDim)</summary>
    public float* Keys { get; }

    /// <summary>(slots, kvHeads, headDim)</summary>
    public float* Values { get; }
}
