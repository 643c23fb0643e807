using System.Globalization;
using Cluster.Engine.Config;
using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Gguf;

/// <summary>Translates a GGUF file's metadata (keys prefixed by its architecture) into a <see cref="ModelConfig"/>.</summary>
public static class GgufModelConfig
{
    /// <summary>The architectures whose tensor set and metadata keys match the Llama decoder.</summary>
    public static readonly IReadOnlySet<string> Architectures = new HashSet<string>(StringComparer.Ordinal) { "llama", "qwen2" };

    public static ModelConfig Read(GgufFile gguf)
    {
        string arch = Architecture(gguf);
        string Key(string suffix) => $"{arch}.{suffix}";
        int heads = gguf.Get<int>(Key("attention.head_count"));
        int? headDim = gguf.Metadata.ContainsKey(Key("attention.key_length")) ? gguf.Get<int>(Key("attention.key_length")) : null;
        var config = new ModelConfig
        {
            ModelType = arch,
            VocabSize = VocabSize(gguf, arch),
            HiddenSize = gguf.Get<int>(Key("embedding_length")),
            IntermediateSize = gguf.Get<int>(Key("feed_forward_length")),
            NumHiddenLayers = gguf.Get<int>(Key("block_count")),
            NumAttentionHeads = heads,
            NumKeyValueHeadsOrNull = gguf.GetOrDefault(Key("attention.head_count_kv"), heads),
            HeadDimOrNull = headDim,
            MaxPositionEmbeddings = gguf.Get<int>(Key("context_length")),
            RmsNormEps = AsWrittenInFloat32(gguf.Get<double>(Key("attention.layer_norm_rms_epsilon"))),
            RopeTheta = AsWrittenInFloat32(gguf.GetOrDefault(Key("rope.freq_base"), 10000.0)),
            RopeScaling = RopeScaling(gguf, arch),
            TieWordEmbeddings = !gguf.TryGetTensor("output.weight", out _),
            AttentionBias = gguf.TryGetTensor("blk.0.attn_q.bias", out _),
            BosTokenId = gguf.Metadata.ContainsKey("tokenizer.ggml.bos_token_id") ? gguf.Get<int>("tokenizer.ggml.bos_token_id") : null,
            EosTokenIds = EosTokenIds(gguf),
        }.Validated(gguf.Path);

        int ropeDims = gguf.GetOrDefault(Key("rope.dimension_count"), config.HeadDim);
        if (ropeDims != config.HeadDim)
            throw new ModelFormatException(gguf.Path, $"partial rotary embeddings ({ropeDims} of {config.HeadDim} head dimensions) are not supported");
        return gguf.TryGetTensor("rope_freqs.weight", out var ropeFreqs)
            ? config with { RopeScaling = Llama3Scaling(gguf, ropeFreqs, config) }
            : config;
    }

    public static string Architecture(GgufFile gguf)
    {
        string arch = gguf.Get<string>("general.architecture");
        if (!Architectures.Contains(arch))
            throw new ModelFormatException(gguf.Path, $"architecture '{arch}' is not supported (supported: {string.Join(", ", Architectures)})");
        return arch;
    }

    private static int VocabSize(GgufFile gguf, string arch)
    {
        if (gguf.Metadata.ContainsKey($"{arch}.vocab_size"))
            return gguf.Get<int>($"{arch}.vocab_size");
        if (gguf.Metadata.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens is string[] list)
            return list.Length;
        return gguf.TryGetTensor("token_embd.weight", out var embedding) ? (int)embedding.Shape[0] : 0;
    }

    private static RopeScaling? RopeScaling(GgufFile gguf, string arch)
    {
        string type = gguf.GetOrDefault($"{arch}.rope.scaling.type", "none");
        return type switch
        {
            "none" => null,
            "linear" => new RopeScaling { RopeType = "linear", Factor = gguf.Get<double>($"{arch}.rope.scaling.factor") },
            _ => throw new ModelFormatException(gguf.Path, $"RoPE scaling '{type}' is not supported"),
        };
    }

    private static RopeScaling Llama3Scaling(GgufFile gguf, GgufTensorInfo ropeFreqs, ModelConfig config)
    {
        if (ropeFreqs.Type != GgmlType.F32)
            throw new ModelFormatException(gguf.Path, $"rope_freqs.weight has type {ropeFreqs.Type}, expected F32");
        var factors = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(gguf.TensorBytes(ropeFreqs)).ToArray();
        return Llama3RopeFactors.Match(factors, config.RopeTheta, config.HeadDim)
            ?? throw new ModelFormatException(gguf.Path,
                "rope_freqs.weight matches no Llama 3 RoPE scaling (per-dimension frequency factors of another kind are not supported)");
    }

    private static int[] EosTokenIds(GgufFile gguf)
    {
        // Chat models often end turns with an end-of-turn token distinct from EOS; both stop generation.
        var ids = new List<int>();
        foreach (string key in new[] { "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id" })
        {
            if (gguf.Metadata.ContainsKey(key) && gguf.Get<int>(key) is var id && !ids.Contains(id))
                ids.Add(id);
        }
        return [.. ids];
    }

    /// <summary>
    /// GGUF stores these as float32; the shortest decimal that round-trips (1e-05, not
    /// 9.99999975e-06) is the value the converter was given.
    /// </summary>
    private static double AsWrittenInFloat32(double value) =>
        double.Parse(((float)value).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
