using Cluster.Engine.Attention;
using Cluster.Engine.Config;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>
/// Multi-head self-attention with grouped key/value heads and rotary positions. The checkpoint's
/// q_proj, k_proj and v_proj are fused into one qkv_proj at load (as gpt-fast does): decode then
/// streams one matrix per layer instead of three, with one kernel launch.
/// </summary>
public sealed class LlamaAttention : IDisposable
{
    private readonly ModelConfig _config;
    private readonly long _queryWidth;
    private readonly long _keyValueWidth;

    public LlamaAttention(ModelConfig config, WeightLoader weights, int layer)
    {
        _config = config;
        _queryWidth = (long)config.NumAttentionHeads * config.HeadDim;
        _keyValueWidth = (long)config.NumKeyValueHeads * config.HeadDim;
        qkv_proj = weights.Fused(TensorNames.Query(layer), TensorNames.Key(layer), TensorNames.Value(layer));
        qkv_bias = weights.FusedBias(TensorNames.QueryBias(layer), TensorNames.KeyBias(layer), TensorNames.ValueBias(layer));
        o_proj = weights.Matrix(TensorNames.Output(layer));
    }

    /// <summary>(q + 2·kv width, hidden): rows of q_proj, then k_proj, then v_proj.</summary>
    public Tensor qkv_proj { get; private set; }

    public Tensor? qkv_bias { get; }

    public Tensor o_proj { get; private set; }

    /// <param name="x">(T, hidden)</param>
    /// <param name="cos">(T, headDim)</param>
    /// <param name="sin">(T, headDim)</param>
    /// <returns>(T, hidden)</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, IAttentionKernel kernel, int stageLayer)
    {
        using var scope = NewDisposeScope();
        long tokens = x.shape[0];
        long heads = _config.NumAttentionHeads, kvHeads = _config.NumKeyValueHeads, headDim = _config.HeadDim;
        var qkv = Linear.Forward(x, qkv_proj, qkv_bias);                                          // (T, (H + 2·kvH)·hd)
        // q and k rotate together: one rotation over (T, H + kvH, hd) instead of two.
        var qk = RotaryEmbedding.Apply(qkv.narrow(1, 0, _queryWidth + _keyValueWidth).view(tokens, heads + kvHeads, headDim), cos, sin);
        var q = qk.narrow(1, 0, heads);                                                      // (T, H, hd)
        var k = qk.narrow(1, heads, kvHeads);                                                // (T, kvH, hd)
        var v = qkv.narrow(1, _queryWidth + _keyValueWidth, _keyValueWidth).view(tokens, kvHeads, headDim); // (T, kvH, hd)
        var attended = kernel.Attend(stageLayer, q, k, v).reshape(tokens, heads * headDim);  // (T, H·hd)
        return Linear.Forward(attended, o_proj).MoveToOuterDisposeScope();
    }

    /// <summary>Moves the matrices into <paramref name="arena"/>, in the order a pass reads them.</summary>
    internal void PackInto(WeightArena arena)
    {
        qkv_proj = arena.Place(qkv_proj);
        o_proj = arena.Place(o_proj);
    }

    internal IEnumerable<Tensor> Matrices => [qkv_proj, o_proj];

    public long ParameterBytes => new[] { qkv_proj, qkv_bias, o_proj }
        .Where(t => t is not null).Sum(t => t!.NumberOfElements * t.ElementSize);

    public void Dispose()
    {
        qkv_proj.Dispose();
        qkv_bias?.Dispose();
        o_proj.Dispose();
    }
}
