using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cluster.Engine.Encoders;

/// <summary>A token's input to the first layer: its word, its position and its token type (0: one-segment inputs), summed and layer-normed.</summary>
public sealed class BertEmbeddings : IDisposable
{
    private readonly Tensor _words, _positions, _types, _normWeight, _normBias;
    private readonly double _eps;

    public BertEmbeddings(EncoderConfig config, EncoderWeights weights, ScalarType dtype, Device device)
    {
        long hidden = config.HiddenSize;
        _words = weights.Read("embeddings.word_embeddings.weight", [config.VocabSize, hidden], dtype, device);
        _positions = weights.Read("embeddings.position_embeddings.weight", [config.MaxPositionEmbeddings, hidden], dtype, device);
        _types = weights.Read("embeddings.token_type_embeddings.weight", [config.TypeVocabSize, hidden], dtype, device);
        _normWeight = weights.Read("embeddings.LayerNorm.weight", [hidden], dtype, device);
        _normBias = weights.Read("embeddings.LayerNorm.bias", [hidden], dtype, device);
        _eps = config.LayerNormEps;
    }

    public long ParameterBytes => new[] { _words, _positions, _types, _normWeight, _normBias }.Sum(t => t.NumberOfElements * t.ElementSize);

    /// <param name="ids">(B, T) token ids</param>
    /// <returns>(B, T, hidden)</returns>
    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        long batch = ids.shape[0], length = ids.shape[1];
        var words = _words.index_select(0, ids.reshape(-1)).view(batch, length, -1);
        var x = words + _positions.narrow(0, 0, length).unsqueeze(0) + _types[0];
        return F.layer_norm(x, [x.shape[^1]], _normWeight, _normBias, _eps).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in new[] { _words, _positions, _types, _normWeight, _normBias }) t.Dispose();
    }
}
