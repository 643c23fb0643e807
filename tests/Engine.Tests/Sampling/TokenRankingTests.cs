using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class TokenRankingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(2000)]
    public void SelectTop_WhenRandomLogitsWithTies_MatchesFullSort(int k)
    {
        var logits = RoundedRandomLogits(vocab: 5000, seed: k);
        var expected = Reference(logits).Take(k).Order();

        var quick = Enumerable.Range(0, logits.Length).ToArray();
        TokenRanking.SelectTop(quick, k, logits);
        var heap = new int[k];
        TokenRanking.SelectTopWithHeap(Enumerable.Range(0, logits.Length).ToArray(), k, logits, heap);

        Assert.Equal(expected, quick.Take(k).Order());
        Assert.Equal(expected, heap.Order());
    }

    [Fact]
    public void SortBestFirst_WhenLogitsTie_PutsLowerIdFirst()
    {
        float[] logits = [1f, 3f, 1f, 3f];
        int[] ids = [2, 3, 0, 1];

        TokenRanking.SortBestFirst(ids, logits);

        Assert.Equal([1, 3, 0, 2], ids);
    }

    internal static IEnumerable<int> Reference(float[] logits) =>
        Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).ThenBy(i => i);

    internal static float[] RoundedRandomLogits(int vocab, int seed)
    {
        // Rounded to tenths so that many logits tie.
        var random = new Random(seed);
        return Enumerable.Range(0, vocab).Select(_ => (float)Math.Round(random.NextDouble() * 20 - 10, 1)).ToArray();
    }
}
