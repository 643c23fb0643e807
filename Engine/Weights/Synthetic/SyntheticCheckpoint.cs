using Cluster.Engine.Config;
using Cluster.Engine.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Weights.Synthetic;

/// <summary>
/// Deterministic random weights for any Llama shape: each tensor is drawn from a generator seeded
/// by (seed, tensor name), so every stage of every process draws the same weights for the same
/// name without a file. Matrices are N(0, std²), by default 0.02 like GPT-2's initialisation; norms
/// are ones. Tests that need sharp attention (scores far from uniform) raise the std.
/// Used wherever a model path is, as <c>synthetic:SHAPE</c>.
/// </summary>
public sealed class SyntheticCheckpoint(ModelConfig config, ulong seed = 0, double std = SyntheticCheckpoint.DefaultStd) : ICheckpoint
{
    public const double DefaultStd = 0.02;

    public string Source => $"synthetic (seed {seed})";

    public ModelConfig Config { get; } = config.Validated("synthetic config");

    public bool Contains(string name) => ShapeOrNull(name) is not null;

    public long[] Shape(string name) => ShapeOrNull(name) ?? throw new ModelFormatException(Source, $"tensor '{name}' is missing");

    public Tensor Read(string name, ScalarType dtype, Device device)
    {
        var shape = Shape(name);
        using var scope = NewDisposeScope();
        if (name.EndsWith("layernorm.weight", StringComparison.Ordinal) || name == TensorNames.FinalNorm)
            return torch.ones(shape, dtype, device).MoveToOuterDisposeScope();
        using var generator = new Generator(seed ^ StableHash(name));
        using var scale = std.ToScalar(); // explicit and alive for the call (see Model/RmsNorm.cs)
        var values = torch.randn(shape, ScalarType.Float32, CPU, generator: generator).mul_(scale);
        return values.to(dtype, device).MoveToOuterDisposeScope();
    }

    private long[]? ShapeOrNull(string name)
    {
        long hidden = Config.HiddenSize, kv = (long)Config.NumKeyValueHeads * Config.HeadDim;
        long q = (long)Config.NumAttentionHeads * Config.HeadDim, ffn = Config.IntermediateSize;
        if (name == TensorNames.Embedding) return [Config.VocabSize, hidden];
        if (name == TensorNames.FinalNorm) return [hidden];
        if (name == TensorNames.LmHead) return Config.TieWordEmbeddings ? null : [Config.VocabSize, hidden];
        for (int l = 0; l < Config.NumHiddenLayers; l++)
        {
            if (!name.StartsWith($"model.layers.{l}.", StringComparison.Ordinal)) continue;
            if (name == TensorNames.InputNorm(l) || name == TensorNames.PostAttentionNorm(l)) return [hidden];
            if (name == TensorNames.Query(l)) return [q, hidden];
            if (name == TensorNames.Key(l) || name == TensorNames.Value(l)) return [kv, hidden];
            if (name == TensorNames.Output(l)) return [hidden, q];
            if (name == TensorNames.Gate(l) || name == TensorNames.Up(l)) return [ffn, hidden];
            if (name == TensorNames.Down(l)) return [hidden, ffn];
            if (Config.AttentionBias && name == TensorNames.QueryBias(l)) return [q];
            if (Config.AttentionBias && (name == TensorNames.KeyBias(l) || name == TensorNames.ValueBias(l))) return [kv];
        }
        return null;
    }

    /// <summary>FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.</summary>
    private static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    public void Dispose()
    {
    }
}
