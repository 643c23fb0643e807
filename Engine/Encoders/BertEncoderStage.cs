using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>
/// Layers [a, b) of a BERT encoder, cut as a decoder is cut into stages: the first stage embeds
/// token ids, every later one takes the previous stage's hidden states. Nothing is cached between
/// calls: every token attends to the whole of its own sequence.
/// </summary>
public sealed class BertEncoderStage : IDisposable
{
    private readonly BertEmbeddings? _embeddings;
    private readonly BertLayer[] _layers;

    public BertEncoderStage(EncoderConfig config, EncoderWeights weights, LayerRange range, ScalarType dtype, Device device)
    {
        Range = range.Validated();
        Dtype = dtype;
        _embeddings = range.IsFirst ? new BertEmbeddings(config, weights, dtype, device) : null;
        _layers = Enumerable.Range(range.Start, range.Count).Select(layer => new BertLayer(config, weights, layer, dtype, device)).ToArray();
    }

    public LayerRange Range { get; }

    public ScalarType Dtype { get; }

    public long ParameterBytes => (_embeddings?.ParameterBytes ?? 0) + _layers.Sum(l => l.ParameterBytes);

    /// <param name="input">the first stage: (B, T) token ids; later stages: (B, T, hidden) from the previous one</param>
    /// <param name="mask">(B, T): 1 for a sequence's tokens, 0 for the padding after them</param>
    /// <returns>(B, T, hidden)</returns>
    public Tensor Forward(Tensor input, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var inference = torch.inference_mode();
        var x = _embeddings is not null ? _embeddings.Forward(input) : input.to(Dtype);
        // Additive: 0 where a key is a real token, the lowest value where it is padding.
        var bias = (1 - mask.to(Dtype)).mul(LowestValue(Dtype)).view(mask.shape[0], 1, 1, mask.shape[1]);
        foreach (var layer in _layers) x = layer.Forward(x, bias);
        return x.MoveToOuterDisposeScope();
    }

    private static double LowestValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.38e38,
        _ => float.MinValue,
    };

    public void Dispose()
    {
        _embeddings?.Dispose();
        foreach (var layer in _layers) layer.Dispose();
    }
}
