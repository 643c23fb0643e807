using Cluster.Engine.Config;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Gguf;

/// <summary>
/// A <see cref="ModelConfig"/> as the <c>llama</c> architecture's metadata keys: the inverse of
/// <see cref="GgufModelConfig.Read"/>, with the value types llama.cpp checks (uint32 counts,
/// float32 epsilon and RoPE base).
/// </summary>
public static class GgufLlamaMetadata
{
    public const string Architecture = "llama";

    /// <summary>llama.cpp's <c>general.file_type</c>: what most tensors are stored as.</summary>
    public static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0, // LLAMA_FTYPE_ALL_F32
        GgmlType.F16 => 1, // LLAMA_FTYPE_MOSTLY_F16
        _ => throw new NotSupportedException($"export as {type} is not supported (F32 and F16 are)"),
    };

    public static void AddTo(GgufWriter writer, ModelConfig config, string name, GgmlType type)
    {
        if (config.RopeScaling is { Kind: not ("linear" or "default") } scaling)
            throw new NotSupportedException($"RoPE scaling '{scaling.Kind}' cannot be exported (none and linear can)");
        static GgufMetadataValue Count(int value) => GgufMetadataValue.UInt32(checked((uint)value));
        string Key(string suffix) => $"{Architecture}.{suffix}";
        writer.Add("general.architecture", GgufMetadataValue.String(Architecture))
            .Add("general.name", GgufMetadataValue.String(name))
            .Add("general.file_type", GgufMetadataValue.UInt32(FileType(type)))
            .Add(Key("context_length"), Count(config.MaxPositionEmbeddings))
            .Add(Key("embedding_length"), Count(config.HiddenSize))
            .Add(Key("block_count"), Count(config.NumHiddenLayers))
            .Add(Key("feed_forward_length"), Count(config.IntermediateSize))
            .Add(Key("attention.head_count"), Count(config.NumAttentionHeads))
            .Add(Key("attention.head_count_kv"), Count(config.NumKeyValueHeads))
            .Add(Key("attention.layer_norm_rms_epsilon"), GgufMetadataValue.Float32((float)config.RmsNormEps))
            .Add(Key("rope.freq_base"), GgufMetadataValue.Float32((float)config.RopeTheta))
            .Add(Key("rope.dimension_count"), Count(config.HeadDim))
            .Add(Key("vocab_size"), Count(config.VocabSize));
        // Only where the head size is not hidden / heads: llama.cpp derives it otherwise.
        if (config.HeadDimOrNull is int headDim && headDim * config.NumAttentionHeads != config.HiddenSize)
        {
            writer.Add(Key("attention.key_length"), Count(headDim))
                .Add(Key("attention.value_length"), Count(headDim));
        }
        if (config.RopeScaling is { Kind: "linear" } linear)
        {
            writer.Add(Key("rope.scaling.type"), GgufMetadataValue.String("linear"))
                .Add(Key("rope.scaling.factor"), GgufMetadataValue.Float32((float)linear.Factor));
        }
    }
}
