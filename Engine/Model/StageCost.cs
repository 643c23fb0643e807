using Cluster.Engine.Config;

namespace Cluster.Engine.Model;

/// <summary>
/// What a stage costs, in decoder layers. A decode step reads every weight of a stage once per
/// token and does two flops per weight and token, so a stage's work follows the weights it holds:
/// a layer each, plus the LM head on the last stage, which for small models with large
/// vocabularies outweighs several layers (Llama 2's 32,000 × 768 head at the 110M shape is 3.5
/// layers). The token embedding on the first stage is a lookup of one row and costs nothing.
/// </summary>
public static class StageCost
{
    /// <summary>The LM head's weights over one decoder layer's.</summary>
    public static double HeadLayers(ModelConfig config)
    {
        long hidden = config.HiddenSize;
        long attention = hidden * (config.NumAttentionHeads + 2L * config.NumKeyValueHeads) * config.HeadDim
                         + (long)config.NumAttentionHeads * config.HeadDim * hidden;
        long mlp = 3 * hidden * config.IntermediateSize;
        return (double)config.VocabSize * hidden / (attention + mlp);
    }

    /// <summary>
    /// Splits <paramref name="total"/> layers into one range per stage, in order, so that the
    /// slowest stage (layers, plus <paramref name="headLayers"/> on the last, over its capacity)
    /// is as fast as it can be: a pipeline runs at the speed of its slowest stage. Every stage gets
    /// at least one layer; then each further layer goes where it raises the load least (this
    /// minimizes the largest load), ties to the earlier stage.
    /// </summary>
    public static IReadOnlyList<LayerRange> Balanced(int total, IReadOnlyList<double> capacities, double headLayers)
    {
        int stages = capacities.Count;
        if (stages <= 0 || stages > total)
            throw new ArgumentOutOfRangeException(nameof(capacities), $"cannot split {total} layers into {stages} stages");
        if (capacities.Any(c => !(c > 0)))
            throw new ArgumentOutOfRangeException(nameof(capacities), $"stage capacities must be positive: [{string.Join(", ", capacities)}]");
        if (!(headLayers >= 0))
            throw new ArgumentOutOfRangeException(nameof(headLayers), $"the LM head's cost must be zero or more layers, not {headLayers}");
        var sizes = Enumerable.Repeat(1, stages).ToArray();
        double Load(int stage, int layers) => (layers + (stage == stages - 1 ? headLayers : 0)) / capacities[stage];
        for (int layer = stages; layer < total; layer++)
        {
            int best = 0;
            for (int s = 1; s < stages; s++)
                if (Load(s, sizes[s] + 1) < Load(best, sizes[best] + 1)) best = s;
            sizes[best]++;
        }
        return LayerRange.Split(total, sizes);
    }

    /// <summary><see cref="Balanced(int, IReadOnlyList{double}, double)"/> over stages of equal capacity.</summary>
    public static IReadOnlyList<LayerRange> Balanced(int total, int stages, double headLayers) =>
        Balanced(total, Enumerable.Repeat(1.0, Math.Max(0, stages)).ToArray(), headLayers);
}
