using Cluster.Engine.Attention;
using Cluster.Engine.Config;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>One pre-norm decoder block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer(ModelConfig config, WeightLoader weights, int layer) : IDisposable
{
    public RmsNorm input_layernorm { get; } = new(weights.Norm(TensorNames.InputNorm(layer)), config.RmsNormEps);
    public LlamaAttention self_attn { get; } = new(config, weights, layer);
    public RmsNorm post_attention_layernorm { get; } = new(weights.Norm(TensorNames.PostAttentionNorm(layer)), config.RmsNormEps);
    public LlamaMlp mlp { get; } = new(weights, layer);

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, IAttentionKernel kernel, int stageLayer)
    {
        using var scope = NewDisposeScope();
        using var one = 1.0.ToScalar(); // the residual additions' alpha, explicit and alive for the calls (see RmsNorm)
        var h = x.add(self_attn.Forward(input_layernorm.Forward(x), cos, sin, kernel, stageLayer), one);
        return h.add(mlp.Forward(post_attention_layernorm.Forward(h)), one).MoveToOuterDisposeScope();
    }

    /// <summary>The layer's matrices, in the order a pass reads them.</summary>
    internal IEnumerable<Tensor> Matrices => self_attn.Matrices.Concat(mlp.Matrices);

    internal void PackInto(WeightArena arena)
    {
        self_attn.PackInto(arena);
        mlp.PackInto(arena);
    }

    public long ParameterBytes => self_attn.ParameterBytes + mlp.ParameterBytes
        + (input_layernorm.weight.NumberOfElements + post_attention_layernorm.weight.NumberOfElements) * input_layernorm.weight.ElementSize;

    public void Dispose()
    {
        input_layernorm.Dispose();
        self_attn.Dispose();
        post_attention_layernorm.Dispose();
        mlp.Dispose();
    }
}
