using Cluster.Engine.Model;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Tests.Model;

/// <summary>Layer splits that balance a pipeline's stages, the LM head counted on the last.</summary>
public sealed class StageCostTests
{
    [Fact]
    public void HeadLayers_OfThe110MShape_IsItsHeadOverOneLayer()
    {
        var config = SyntheticShapes.Get("llama-110m");
        // 32000·768 head weights; a layer is 4·768² (q, k, v, o) + 3·768·2048 (gate, up, down).
        double expected = 32000.0 * 768 / (4.0 * 768 * 768 + 3.0 * 768 * 2048);

        Assert.Equal(expected, StageCost.HeadLayers(config), 9);
        Assert.InRange(StageCost.HeadLayers(config), 3.4, 3.5);
    }

    [Theory]
    [InlineData(12, 2, 3.47, new[] { 8, 4 })]    // the 110M shape: 8 against 4 + 3.47
    [InlineData(12, 3, 3.47, new[] { 5, 5, 2 })]
    [InlineData(12, 2, 0.0, new[] { 6, 6 })]    // no head: even
    [InlineData(5, 2, 0.66, new[] { 3, 2 })]    // stories260K: 3 against 2.66
    [InlineData(5, 3, 0.66, new[] { 2, 2, 1 })]
    [InlineData(4, 4, 10.0, new[] { 1, 1, 1, 1 })] // one layer at least, however heavy the head
    [InlineData(22, 4, 1.5, new[] { 6, 6, 6, 4 })]   // TinyLlama-1.1B: 6 against 4 + 1.5
    public void Balanced_OverEqualStages_MakesTheSlowestStageAsFastAsItCanBe(int total, int stages, double head, int[] sizes)
    {
        var ranges = StageCost.Balanced(total, stages, head);

        Assert.Equal(sizes, ranges.Select(r => r.Count));
        Assert.Equal(total, ranges[^1].End);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
    }

    [Fact]
    public void Balanced_AgainstEverySplit_HasTheSmallestLargestLoad()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 300; trial++)
        {
            int total = random.Next(1, 13), stages = random.Next(1, Math.Min(total, 4) + 1);
            var capacities = Enumerable.Range(0, stages).Select(_ => (double)random.Next(1, 5)).ToArray();
            double head = random.Next(0, 9) / 2.0;
            double Largest(IReadOnlyList<int> sizes) => sizes.Select((n, s) => (n + (s == stages - 1 ? head : 0)) / capacities[s]).Max();

            var balanced = StageCost.Balanced(total, capacities, head).Select(r => r.Count).ToArray();
            double best = Splits(total, stages).Min(Largest);

            Assert.Equal(best, Largest(balanced), 9);
        }
    }

    [Fact]
    public void Balanced_WhenStagesOutnumberLayersOrCapacityIsNotPositive_SaysWhy()
    {
        Assert.Contains("cannot split 3 layers into 4 stages", Assert.Throws<ArgumentOutOfRangeException>(() => StageCost.Balanced(3, 4, 0)).Message);
        Assert.Contains("capacities must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => StageCost.Balanced(3, [1.0, 0.0], 0)).Message);
        Assert.Contains("zero or more layers", Assert.Throws<ArgumentOutOfRangeException>(() => StageCost.Balanced(3, 2, -1)).Message);
    }

    /// <summary>Every way to cut <paramref name="total"/> layers into <paramref name="stages"/> non-empty ranges.</summary>
    private static IEnumerable<int[]> Splits(int total, int stages)
    {
        if (stages == 1)
        {
            yield return [total];
            yield break;
        }
        for (int first = 1; first <= total - stages + 1; first++)
            foreach (var rest in Splits(total - first, stages - 1))
                yield return [first, .. rest];
    }
}
