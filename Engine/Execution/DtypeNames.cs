using static TorchSharp.torch;

namespace Cluster.Engine.Execution;

/// <summary>Compute dtypes by the names users type.</summary>
public static class DtypeNames
{
    public static ScalarType Parse(string name) => name.ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        "float16" or "fp16" or "f16" => ScalarType.Float16,
        _ => throw new ArgumentException($"unknown dtype '{name}' (float32, bfloat16, float16)"),
    };
}
