using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Decode;

/// <summary>
/// Addresses of one decoder layer's tensors and of its K/V cache, for a float32 or a bfloat16
/// stage. The matrices are read as they are stored; norm weights and biases, a few kilobytes, are
/// read as float32, from float32 copies for a bfloat16 stage. The tensors belong to the stage model,
/// the cache and <paramref name="copies"/>, which outlive every pass, so the addresses stay valid.
/// </summary>
internal readonly unsafe struct DecodeLayerWeights
{
    public DecodeLayerWeights(LlamaDecoderLayer layer, Attention.PagedKvCache cache, int stageLayer, List<Tensor> copies)
    {
        InputNorm = Float32(layer.input_layernorm.weight, copies);
        QkvProjection = new WeightMatrix(layer.self_attn.qkv_proj);
        QkvBias = layer.self_attn.qkv_bias is { } bias ? Float32(bias, copies) : null;
        OutputProjection = new WeightMatrix(layer.self_attn.o_proj);
        PostAttentionNorm = Float32(layer.post_attention_layernorm.weight, copies);
        GateUpProjection = new WeightMatrix(layer.mlp.gate_up_proj);
        DownProjection = new WeightMatrix(layer.mlp.down_proj);
        Keys = (void*)TensorMemory.Pointer(cache.Keys(stageLayer));
        Values = (void*)TensorMemory.Pointer(cache.Values(stageLayer));
    }

    public float* InputNorm { get; }
    public WeightMatrix QkvProjection { get; }
    public float* QkvBias { get; }
    public WeightMatrix OutputProjection { get; }
    public float* PostAttentionNorm { get; }
    public WeightMatrix GateUpProjection { get; }
    public WeightMatrix DownProjection { get; }

    /// <summary>(slots, kvHeads, headDim), in the cache's dtype.</summary>
    public void* Keys { get; }

    /// <summary>(slots, kvHeads, headDim), in the cache's dtype.</summary>
    public void* Values { get; }

    /// <summary>The address of <paramref name="tensor"/> as float32: its own, or that of a float32 copy kept in <paramref name="copies"/>.</summary>
    public static float* Float32(Tensor tensor, List<Tensor> copies)
    {
        if (tensor.dtype == ScalarType.Float32) return (float*)TensorMemory.Pointer(tensor);
        var copy = tensor.to(ScalarType.Float32).contiguous().DetachFromDisposeScope();
        copies.Add(copy);
        return (float*)TensorMemory.Pointer(copy);
    }
}
