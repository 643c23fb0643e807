using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Encoders;

/// <summary>
/// A BERT encoder's shape from a Hugging Face <c>config.json</c> (<c>BertModel</c> or
/// <c>BertForMaskedLM</c>): learned absolute positions, token types, post-LayerNorm layers with a
/// GELU MLP, attention over the whole (unpadded) sequence.
/// </summary>
public sealed record EncoderConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = [];
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; }
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("position_embedding_type")] public string PositionEmbeddingType { get; init; } = "absolute";

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Whether the MLP's GELU is the tanh approximation (<c>gelu_new</c>, <c>gelu_pytorch_tanh</c>) rather than the exact one.</summary>
    public bool TanhGelu => HiddenAct is "gelu_new" or "gelu_pytorch_tanh";

    private static readonly string[] KnownArchitectures = ["BertModel", "BertForMaskedLM", "BertForPreTraining"];

    public static EncoderConfig Load(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "config.json not found");
        EncoderConfig config;
        try
        {
            config = JsonSerializer.Deserialize<EncoderConfig>(File.ReadAllText(path)) ?? throw new ModelFormatException(path, "config is null");
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, $"invalid config JSON: {e.Message}", e);
        }
        return config.Validated(path);
    }

    public EncoderConfig Validated(string source)
    {
        if (ModelType != "bert" && !Architectures.Any(KnownArchitectures.Contains))
            throw new ModelFormatException(source, $"model_type '{ModelType}' ({string.Join(", ", Architectures)}) is not a BERT encoder; the encoder family reads BertModel and BertForMaskedLM");
        if (PositionEmbeddingType != "absolute")
            throw new ModelFormatException(source, $"position_embedding_type '{PositionEmbeddingType}' is not supported (absolute is)");
        if (HiddenAct is not ("gelu" or "gelu_new" or "gelu_pytorch_tanh"))
            throw new ModelFormatException(source, $"hidden_act '{HiddenAct}' is not supported (gelu, gelu_new, gelu_pytorch_tanh are)");
        foreach (var (name, value) in new[] { ("hidden_size", HiddenSize), ("num_hidden_layers", NumHiddenLayers), ("num_attention_heads", NumAttentionHeads),
                     ("intermediate_size", IntermediateSize), ("max_position_embeddings", MaxPositionEmbeddings), ("vocab_size", VocabSize), ("type_vocab_size", TypeVocabSize) })
        {
            if (value <= 0) throw new ModelFormatException(source, $"{name} must be positive, got {value}");
        }
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ModelFormatException(source, $"hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        return this;
    }
}
