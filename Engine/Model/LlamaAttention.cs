using Cluster.Engine.Attention;
using Cluster.Engine.Config;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Model;

/// <summary>Multi-head self-attention with grouped key/value heads and rotary positions.</summary>
public sealed class LlamaAttention : IDisposable
{
    private readonly ModelConfig _config;

    public LlamaAttention(ModelConfig config, WeightLoader weights, int layer)
    {
        _config = config;
        q_proj = weights.Matrix(TensorNames.Query(layer));
        k_proj = weights.Matrix(TensorNames.Key(layer));
        v_proj = weights.Matrix(TensorNames.Value(layer));
        o_proj = weights.Matrix(TensorNames.Output(layer));
        q_bias = weights.OptionalBias(TensorNames.QueryBias(layer));
        k_bias = weights.OptionalBias(TensorNames.KeyBias(layer));
        v_bias = weights.OptionalBias(TensorNames.ValueBias(layer));
    }

    public Tensor q_proj { get; }
    public Tensor k_proj { get; }
    public Tensor v_proj { get; }
    public Tensor o_proj { get; }
    public Tensor? q_bias { get; }
    public Tensor? k_bias { get; }
    public Tensor? v_bias { get; }

    /// <param name="x">(T, hidden)</param>
    /// <param name="cos">(T, headDim)</param>
    /// <param name="sin">(T, headDim)</param>
    /// <returns>(T, hidden)</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, IAttentionKernel kernel, int stageLayer)
    {
        using var scope = NewDisposeScope();
        long tokens = x.shape[0];
        var q = F.linear(x, q_proj, q_bias).view(tokens, _config.NumAttentionHeads, _config.HeadDim);   // (T, H, hd)
        var k = F.linear(x, k_proj, k_bias).view(tokens, _config.NumKeyValueHeads, _config.HeadDim);    // (T, kvH, hd)
        var v = F.linear(x, v_proj, v_bias).view(tokens, _config.NumKeyValueHeads, _config.HeadDim);    // (T, kvH, hd)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        var attended = kernel.Attend(stageLayer, q, k, v)
                             .reshape(tokens, _config.NumAttentionHeads * _config.HeadDim);            // (T, H*hd)
        return F.linear(attended, o_proj).MoveToOuterDisposeScope();
    }

    public long ParameterBytes => new[] { q_proj, k_proj, v_proj, o_proj, q_bias, k_bias, v_bias }
        .Where(t => t is not null).Sum(t => t!.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        foreach (var tensor in new[] { q_proj, k_proj, v_proj, o_proj, q_bias, k_bias, v_bias })
            tensor?.Dispose();
    }
}
