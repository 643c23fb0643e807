namespace Cluster.Engine.Weights;

/// <summary>The Hugging Face Llama tensor names every checkpoint is read by.</summary>
public static class TensorNames
{
    public const string Embedding = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    public static string Layer(int layer, string suffix) => $"model.layers.{layer}.{suffix}";

    public static string InputNorm(int layer) => Layer(layer, "input_layernorm.weight");
    public static string PostAttentionNorm(int layer) => Layer(layer, "post_attention_layernorm.weight");
    public static string Query(int layer) => Layer(layer, "self_attn.q_proj.weight");
    public static string Key(int layer) => Layer(layer, "self_attn.k_proj.weight");
    public static string Value(int layer) => Layer(layer, "self_attn.v_proj.weight");
    public static string Output(int layer) => Layer(layer, "self_attn.o_proj.weight");
    public static string QueryBias(int layer) => Layer(layer, "self_attn.q_proj.bias");
    public static string KeyBias(int layer) => Layer(layer, "self_attn.k_proj.bias");
    public static string ValueBias(int layer) => Layer(layer, "self_attn.v_proj.bias");
    public static string Gate(int layer) => Layer(layer, "mlp.gate_proj.weight");
    public static string Up(int layer) => Layer(layer, "mlp.up_proj.weight");
    public static string Down(int layer) => Layer(layer, "mlp.down_proj.weight");
}
