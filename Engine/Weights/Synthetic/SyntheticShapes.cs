using Cluster.Engine.Config;

namespace Cluster.Engine.Weights.Synthetic;

/// <summary>Named Llama shapes for benchmarks and experiments with deterministic random weights.</summary>
public static class SyntheticShapes
{
    public static IReadOnlyDictionary<string, ModelConfig> Named { get; } = new Dictionary<string, ModelConfig>(StringComparer.OrdinalIgnoreCase)
    {
        // llama2.c's stories110M / Llama-2 tokenizer vocabulary: the issue's benchmark shape.
        ["llama-110m"] = Llama(hidden: 768, intermediate: 2048, layers: 12, heads: 12, kvHeads: 12, vocab: 32000, context: 1024),
        ["tinyllama-1.1b"] = Llama(hidden: 2048, intermediate: 5632, layers: 22, heads: 32, kvHeads: 4, vocab: 32000, context: 2048),
        ["stories260k"] = Llama(hidden: 64, intermediate: 172, layers: 5, heads: 8, kvHeads: 4, vocab: 512, context: 512),
    };

    public static ModelConfig Get(string name) =>
        Named.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"unknown synthetic shape '{name}' (known: {string.Join(", ", Named.Keys)})");

    public static ModelConfig Llama(int hidden, int intermediate, int layers, int heads, int kvHeads, int vocab, int context, bool tied = false) => new()
    {
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeadsOrNull = kvHeads,
        VocabSize = vocab,
        MaxPositionEmbeddings = context,
        TieWordEmbeddings = tied,
        BosTokenId = 1,
        EosTokenIds = [2],
    };
}
