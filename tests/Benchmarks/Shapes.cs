using Cluster.Engine.Config;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Benchmarks;

/// <summary>The benchmark shape: llama2.c's stories110M (Llama-2 vocabulary), random weights.</summary>
public static class Shapes
{
    public const string Spec = "synthetic:llama-110m";

    public static ModelConfig Llama110M => SyntheticShapes.Get("llama-110m");
}
