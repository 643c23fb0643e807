using Cluster.Engine.Config;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Support;

/// <summary>Small random Llama shapes covering GQA, plain MHA, attention bias and tied heads.</summary>
public static class RandomModels
{
    public static ModelConfig Gqa => SyntheticShapes.Llama(hidden: 32, intermediate: 48, layers: 3, heads: 4, kvHeads: 2, vocab: 61, context: 128);

    public static ModelConfig Mha => SyntheticShapes.Llama(hidden: 24, intermediate: 40, layers: 2, heads: 3, kvHeads: 3, vocab: 37, context: 128, tied: true);

    public static ModelConfig WithBias => SyntheticShapes.Llama(hidden: 32, intermediate: 40, layers: 4, heads: 8, kvHeads: 2, vocab: 50, context: 128) with
    {
        AttentionBias = true,
        RopeTheta = 1_000_000,
    };

    public static TheoryData<string> Names => new() { nameof(Gqa), nameof(Mha), nameof(WithBias) };

    public static ModelConfig ByName(string name) => name switch
    {
        nameof(Gqa) => Gqa,
        nameof(Mha) => Mha,
        nameof(WithBias) => WithBias,
        _ => throw new ArgumentException(name),
    };

    public static int[] Tokens(Random random, int count, int vocab) =>
        Enumerable.Range(0, count).Select(_ => random.Next(vocab)).ToArray();
}
