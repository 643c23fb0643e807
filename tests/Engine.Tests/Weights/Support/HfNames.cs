using Cluster.Engine.Config;
using Cluster.Engine.Weights;

namespace Cluster.Engine.Tests.Weights.Support;

/// <summary>The HF tensor names of a Llama model, for tests that walk every tensor.</summary>
public static class HfNames
{
    public static IEnumerable<string> Layer(int layer) =>
    [
        TensorNames.InputNorm(layer), TensorNames.Query(layer), TensorNames.Key(layer), TensorNames.Value(layer),
        TensorNames.Output(layer), TensorNames.PostAttentionNorm(layer), TensorNames.Gate(layer),
        TensorNames.Up(layer), TensorNames.Down(layer),
    ];

    /// <summary>Every tensor the decoder reads, except the LM head (absent when tied).</summary>
    public static IEnumerable<string> All(ModelConfig config) =>
        [TensorNames.Embedding, .. Enumerable.Range(0, config.NumHiddenLayers).SelectMany(Layer), TensorNames.FinalNorm];
}
