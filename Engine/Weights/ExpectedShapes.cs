using System.Globalization;
using Cluster.Engine.Config;

namespace Cluster.Engine.Weights;

/// <summary>
/// The shape each HF tensor name must have for a config. Loaders check every tensor against it
/// before reading, so a file that disagrees with its own config fails at load, not in a matmul.
/// </summary>
public static class ExpectedShapes
{
    /// <summary>The expected row-major shape, or null for a name the decoder does not use.</summary>
    public static long[]? For(ModelConfig config, string name)
    {
        long hidden = config.HiddenSize;
        long qDim = (long)config.NumAttentionHeads * config.HeadDim;
        long kvDim = (long)config.NumKeyValueHeads * config.HeadDim;
        long inter = config.IntermediateSize;
        switch (name)
        {
            case TensorNames.Embedding:
            case TensorNames.LmHead:
                return [config.VocabSize, hidden];
            case TensorNames.FinalNorm:
                return [hidden];
        }
        if (!TryParseLayer(name, out int layer, out string suffix) || layer >= config.NumHiddenLayers)
            return null;
        return suffix switch
        {
            "input_layernorm.weight" or "post_attention_layernorm.weight" => [hidden],
            "self_attn.q_proj.weight" => [qDim, hidden],
            "self_attn.k_proj.weight" or "self_attn.v_proj.weight" => [kvDim, hidden],
            "self_attn.o_proj.weight" => [hidden, qDim],
            "self_attn.q_proj.bias" => [qDim],
            "self_attn.k_proj.bias" or "self_attn.v_proj.bias" => [kvDim],
            "mlp.gate_proj.weight" or "mlp.up_proj.weight" => [inter, hidden],
            "mlp.down_proj.weight" => [hidden, inter],
            _ => null,
        };
    }

    /// <summary>Splits <c>model.layers.{N}.{suffix}</c>; false for names outside the layers.</summary>
    public static bool TryParseLayer(string name, out int layer, out string suffix)
    {
        const string prefix = "model.layers.";
        layer = -1;
        suffix = "";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        int dot = name.IndexOf('.', prefix.Length);
        if (dot < 0 || !int.TryParse(name.AsSpan(prefix.Length, dot - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out layer))
            return false;
        suffix = name[(dot + 1)..];
        return true;
    }

    public static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
