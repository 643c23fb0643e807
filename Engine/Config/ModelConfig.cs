using System.Text.Json.Serialization;

namespace Cluster.Engine.Config;

/// <summary>
/// The shape of a Llama-family decoder, named as in Hugging Face <c>config.json</c>. GGUF
/// metadata and llama2.c headers are translated into this one record at load.
/// </summary>
public sealed record ModelConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";

    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }

    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; }

    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; }

    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; }

    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; }

    /// <summary>Absent in configs without GQA: then equal to <see cref="NumAttentionHeads"/>.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? NumKeyValueHeadsOrNull { get; init; }

    /// <summary>Explicit head size where it is not hidden_size / heads (some Qwen and Gemma configs).</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimOrNull { get; init; }

    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 2048;

    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;

    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }

    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    /// <summary>Biases on q/k/v projections (Qwen2 has them; Llama does not).</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }

    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }

    /// <summary>One id or a list in HF configs; normalized to a list at load.</summary>
    [JsonIgnore] public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    [JsonIgnore] public int NumKeyValueHeads => NumKeyValueHeadsOrNull ?? NumAttentionHeads;

    [JsonIgnore] public int HeadDim => HeadDimOrNull ?? HiddenSize / NumAttentionHeads;

    /// <summary>Query heads that share one key/value head.</summary>
    [JsonIgnore] public int KvGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Checks the shape is one the decoder can run; throws naming the field otherwise.</summary>
    public ModelConfig Validated(string source)
    {
        void Require(bool condition, string message)
        {
            if (!condition) throw new Formats.ModelFormatException(source, message);
        }

        Require(VocabSize > 0, $"vocab_size must be positive (is {VocabSize})");
        Require(HiddenSize > 0, $"hidden_size must be positive (is {HiddenSize})");
        Require(IntermediateSize > 0, $"intermediate_size must be positive (is {IntermediateSize})");
        Require(NumHiddenLayers > 0, $"num_hidden_layers must be positive (is {NumHiddenLayers})");
        Require(NumAttentionHeads > 0, $"num_attention_heads must be positive (is {NumAttentionHeads})");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0,
            $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        Require(HeadDimOrNull is not null || HiddenSize % NumAttentionHeads == 0,
            $"hidden_size ({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads})");
        Require(HeadDim % 2 == 0, $"head dimension ({HeadDim}) must be even for rotary embeddings");
        Require(MaxPositionEmbeddings > 0, $"max_position_embeddings must be positive (is {MaxPositionEmbeddings})");
        return this;
    }
}
