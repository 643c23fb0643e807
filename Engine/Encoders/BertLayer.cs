using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Encoders;

/// <summary>
/// One BERT layer: self-attention over the whole sequence (padding masked out), then a GELU MLP,
/// each added to its input and layer-normed after (post-LayerNorm, unlike Llama's pre-norm).
/// </summary>
public sealed class BertLayer : IDisposable
{
    private readonly EncoderConfig _config;
    private readonly Tensor _query, _queryBias, _key, _keyBias, _value, _valueBias, _output, _outputBias, _attentionNormWeight, _attentionNormBias;
    private readonly Tensor _intermediate, _intermediateBias, _down, _downBias, _outputNormWeight, _outputNormBias;

    public BertLayer(EncoderConfig config, EncoderWeights weights, int layer, ScalarType dtype, Device device)
    {
        _config = config;
        long hidden = config.HiddenSize, inner = config.IntermediateSize;
        string p = $"encoder.layer.{layer}.";
        Tensor Read(string name, params long[] shape) => weights.Read(p + name, shape, dtype, device);
        _query = Read("attention.self.query.weight", hidden, hidden);
        _queryBias = Read("attention.self.query.bias", hidden);
        _key = Read("attention.self.key.weight", hidden, hidden);
        _keyBias = Read("attention.self.key.bias", hidden);
        _value = Read("attention.self.value.weight", hidden, hidden);
        _valueBias = Read("attention.self.value.bias", hidden);
        _output = Read("attention.output.dense.weight", hidden, hidden);
        _outputBias = Read("attention.output.dense.bias", hidden);
        _attentionNormWeight = Read("attention.output.LayerNorm.weight", hidden);
        _attentionNormBias = Read("attention.output.LayerNorm.bias", hidden);
        _intermediate = Read("intermediate.dense.weight", inner, hidden);
        _intermediateBias = Read("intermediate.dense.bias", inner);
        _down = Read("output.dense.weight", hidden, inner);
        _downBias = Read("output.dense.bias", hidden);
        _outputNormWeight = Read("output.LayerNorm.weight", hidden);
        _outputNormBias = Read("output.LayerNorm.bias", hidden);
    }

    private IEnumerable<Tensor> Tensors =>
    [
        _query, _queryBias, _key, _keyBias, _value, _valueBias, _output, _outputBias, _attentionNormWeight, _attentionNormBias,
        _intermediate, _intermediateBias, _down, _downBias, _outputNormWeight, _outputNormBias,
    ];

    public long ParameterBytes => Tensors.Sum(t => t.NumberOfElements * t.ElementSize);

    /// <param name="x">(B, T, hidden)</param>
    /// <param name="maskBias">(B, 1, 1, T): 0 for real tokens, the dtype's lowest value for padding</param>
    public Tensor Forward(Tensor x, Tensor maskBias)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1], hidden = _config.HiddenSize;
        long heads = _config.NumAttentionHeads, headDim = _config.HeadDim;
        var rows = x.reshape(batch * length, hidden);
        Tensor Heads(Tensor w, Tensor b) => Linear.Forward(rows, w, b).view(batch, length, heads, headDim).transpose(1, 2); // (B, H, T, hd)
        var attended = F.scaled_dot_product_attention(Heads(_query, _queryBias), Heads(_key, _keyBias), Heads(_value, _valueBias), maskBias)
            .transpose(1, 2).reshape(batch * length, hidden);
        var afterAttention = F.layer_norm(Linear.Forward(attended, _output, _outputBias) + rows, [hidden], _attentionNormWeight, _attentionNormBias, _config.LayerNormEps);
        var up = Linear.Forward(afterAttention, _intermediate, _intermediateBias);
        var activated = _config.TanhGelu ? TanhGelu(up) : F.gelu(up);
        var output = F.layer_norm(Linear.Forward(activated, _down, _downBias) + afterAttention, [hidden], _outputNormWeight, _outputNormBias, _config.LayerNormEps);
        return output.view(batch, length, hidden).MoveToOuterDisposeScope();
    }

    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as gelu_new and gelu_pytorch_tanh compute it.</summary>
    private static Tensor TanhGelu(Tensor x) => 0.5 * x * (1 + torch.tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x.pow(3))));

    public void Dispose()
    {
        foreach (var t in Tensors) t.Dispose();
    }
}
