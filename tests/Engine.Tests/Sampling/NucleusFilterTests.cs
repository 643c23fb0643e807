using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class NucleusFilterTests
{
    [Theory]
    [InlineData(0.1f, 1)]
    [InlineData(0.5f, 2)]
    [InlineData(0.9f, 3)]
    [InlineData(0.99f, 4)]
    public void Keep_WhenLogitsSpread_KeepsTheSameSetAsASortedCumulativeSum(float topP, int seed)
    {
        var logits = TokenRankingTests.RoundedRandomLogits(vocab: 20_000, seed);
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp((double)l - max)).ToArray();
        var candidates = Enumerable.Range(0, logits.Length).ToArray();

        var count = NucleusFilter.Keep(candidates, weights, logits, max, topP, new int[logits.Length]);

        Assert.Equal(ReferenceKept(logits, weights, topP), candidates.Take(count).Order());
    }

    [Fact]
    public void Keep_WhenOneTokenDominates_KeepsOnlyIt()
    {
        float[] logits = [0f, 30f, 1f];
        var weights = logits.Select(l => Math.Exp(l - 30.0)).ToArray();
        int[] candidates = [0, 1, 2];

        Assert.Equal(1, NucleusFilter.Keep(candidates, weights, logits, 30f, 0.9f, new int[3]));
        Assert.Equal(1, candidates[0]);
    }

    /// <summary>vLLM's rule over a full sort: keep a token while the mass ranked before it is below p.</summary>
    private static IEnumerable<int> ReferenceKept(float[] logits, double[] weights, float topP)
    {
        var target = topP * weights.Sum();
        var before = 0.0;
        var kept = new List<int>();
        foreach (var id in TokenRankingTests.Reference(logits))
        {
            if (before >= target)
            {
                break;
            }

            kept.Add(id);
            before += weights[id];
        }

        return kept.Order();
    }
}
