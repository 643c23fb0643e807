namespace Cluster.Engine.Weights.Gguf;

/// <summary>Translates HF tensor names to llama.cpp's GGUF names (<c>blk.N.attn_q.weight</c>, ...).</summary>
public static class GgufTensorNames
{
    private static readonly Dictionary<string, string> Global = new(StringComparer.Ordinal)
    {
        [TensorNames.Embedding] = "token_embd.weight",
        [TensorNames.FinalNorm] = "output_norm.weight",
        [TensorNames.LmHead] = "output.weight",
    };

    private static readonly Dictionary<string, string> PerLayer = new(StringComparer.Ordinal)
    {
        ["input_layernorm.weight"] = "attn_norm.weight",
        ["post_attention_layernorm.weight"] = "ffn_norm.weight",
        ["self_attn.q_proj.weight"] = "attn_q.weight",
        ["self_attn.k_proj.weight"] = "attn_k.weight",
        ["self_attn.v_proj.weight"] = "attn_v.weight",
        ["self_attn.o_proj.weight"] = "attn_output.weight",
        ["self_attn.q_proj.bias"] = "attn_q.bias",
        ["self_attn.k_proj.bias"] = "attn_k.bias",
        ["self_attn.v_proj.bias"] = "attn_v.bias",
        ["mlp.gate_proj.weight"] = "ffn_gate.weight",
        ["mlp.up_proj.weight"] = "ffn_up.weight",
        ["mlp.down_proj.weight"] = "ffn_down.weight",
    };

    /// <summary>The GGUF name of an HF tensor name, or null for a name GGUF has no counterpart for.</summary>
    public static string? FromHf(string hfName)
    {
        if (Global.TryGetValue(hfName, out var name))
            return name;
        return ExpectedShapes.TryParseLayer(hfName, out int layer, out string suffix) && PerLayer.TryGetValue(suffix, out var tail)
            ? $"blk.{layer}.{tail}"
            : null;
    }
}
