using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class SamplerTests
{
    private static readonly int[] NoTokens = [];

    [Fact]
    public void Sample_WhenGreedy_ReturnsArgmax()
    {
        float[] logits = [0.1f, 3.5f, -2f, 3.4f];

        var token = Sampler.Sample(logits, SamplingParams.Greedy, Context(step: 0));

        Assert.Equal(1, token.TokenId);
    }

    [Fact]
    public void Sample_WhenGreedyAndLogitsTie_ReturnsLowerId()
    {
        float[] logits = [0f, 2f, 2f];

        Assert.Equal(1, Sampler.Sample(logits, SamplingParams.Greedy, Context(step: 0)).TokenId);
    }

    [Fact]
    public void Sample_WhenTemperatureSampling_FollowsSoftmaxOfScaledLogits()
    {
        float[] logits = [1.0f, 2.0f, 0.5f, -1.0f, 1.5f];
        const float temperature = 0.8f;
        const int draws = 20_000;
        var p = new SamplingParams { Temperature = temperature, Seed = 1234 };
        var counts = new int[logits.Length];

        for (var step = 0; step < draws; step++)
        {
            counts[Sampler.Sample(logits, p, Context(step, seed: 1234)).TokenId]++;
        }

        var expected = Softmax(logits.Select(l => l / temperature).ToArray());
        var chiSquare = counts.Select((c, i) => Math.Pow(c - (draws * expected[i]), 2) / (draws * expected[i])).Sum();
        // 4 degrees of freedom: 18.47 is the 0.1% critical value. The seed is fixed, so this
        // cannot flake; a wrong temperature (or none) gives a chi-square in the hundreds.
        Assert.True(chiSquare < 18.47, $"chi-square {chiSquare:F2}, counts [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void Sample_WhenTopK_DrawsOnlyTheKBest()
    {
        var logits = RandomLogits(vocab: 1000, seed: 7);
        var best = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(5).ToHashSet();
        var p = new SamplingParams { Temperature = 2f, TopK = 5 };

        var drawn = DrawMany(logits, p, draws: 2000);

        Assert.Equal(best, drawn);
    }

    [Theory]
    [InlineData(0.7f, new[] { 0, 1 })]
    [InlineData(0.85f, new[] { 0, 1, 2 })]
    [InlineData(0.4f, new[] { 0 })]
    public void Sample_WhenTopP_DrawsOnlyTheSmallestSetReachingP(float topP, int[] kept)
    {
        var logits = LogitsOf(0.5, 0.3, 0.15, 0.05);

        var drawn = DrawMany(logits, new SamplingParams { TopP = topP }, draws: 2000);

        Assert.Equal(kept.ToHashSet(), drawn);
    }

    [Fact]
    public void Sample_WhenTopPNeedsMoreThanTheFirstWindow_WidensIt()
    {
        var logits = new float[1000]; // uniform: 0.001 each, ties ranked by id
        var p = new SamplingParams { TopP = 0.5003f };

        var drawn = DrawMany(logits, p, draws: 5000);

        Assert.True(drawn.Max() == 500, $"highest drawn id {drawn.Max()}"); // 501 tokens reach 0.5003
        Assert.Equal(501, drawn.Count);
    }

    [Fact]
    public void Sample_WhenMinP_DropsTokensBelowTheScaledMaximum()
    {
        var logits = LogitsOf(0.5, 0.3, 0.15, 0.05);

        var drawn = DrawMany(logits, new SamplingParams { MinP = 0.2f }, draws: 2000); // keeps p >= 0.1

        Assert.Equal(new HashSet<int> { 0, 1, 2 }, drawn);
    }

    [Fact]
    public void Sample_WhenTopKThenTopP_AppliesTopPToTheRenormalizedSurvivors()
    {
        var logits = LogitsOf(0.4, 0.3, 0.2, 0.1);

        // After top_k = 2 the survivors are 4/7 and 3/7: top_p = 0.6 needs both.
        var drawn = DrawMany(logits, new SamplingParams { TopK = 2, TopP = 0.6f }, draws: 2000);

        Assert.Equal(new HashSet<int> { 0, 1 }, drawn);
    }

    [Fact]
    public async Task Sample_WhenSameSeedStepAndLogits_GivesSameTokenWhateverRanBetween()
    {
        var logits = RandomLogits(vocab: 32_000, seed: 3);
        var p = new SamplingParams { Temperature = 1.3f, TopP = 0.95f, TopK = 50, Seed = 99 };
        var first = Enumerable.Range(0, 50).Select(step => Sampler.Sample(logits, p, Context(step, seed: 99)).TokenId).ToArray();

        // Other sequences: other seeds, other vocab sizes, other threads, batches.
        var noise = RandomLogits(vocab: 150_000, seed: 4);
        for (var i = 0; i < 20; i++)
        {
            Sampler.Sample(noise, new SamplingParams { RepetitionPenalty = 1.2f }, new SamplingContext([1, 2], [3], i, i));
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() => Sampler.Sample(noise, p, Context(t, seed: t)))));
        var again = Enumerable.Range(0, 50).Select(step => Sampler.Sample(logits, p, Context(step, seed: 99)).TokenId).ToArray();
        var batched = Sampler.SampleRows(
            [.. noise[..32_000], .. logits], 32_000, [p, p], [Context(7, seed: 1), Context(7, seed: 99)]);

        Assert.Equal(first, again);
        Assert.Equal(first[7], batched[1].TokenId);
        Assert.True(first.Distinct().Count() > 1, "the draws should vary with the step");
    }

    [Fact]
    public void Sample_WhenSeedsDiffer_DrawDifferentSequences()
    {
        var logits = new float[100];
        var p = new SamplingParams();

        var a = Enumerable.Range(0, 20).Select(step => Sampler.Sample(logits, p, Context(step, seed: 1)).TokenId);
        var b = Enumerable.Range(0, 20).Select(step => Sampler.Sample(logits, p, Context(step, seed: 2)).TokenId);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Sample_WhenTopLogprobsAsked_ReturnsThemSortedAndNormalized()
    {
        var logits = RandomLogits(vocab: 5000, seed: 11);
        var p = new SamplingParams { Temperature = 0.7f, TopLogprobs = 20 };

        var token = Sampler.Sample(logits, p, Context(step: 3));

        Assert.Equal(20, token.TopLogprobs.Count);
        Assert.Equal(token.TopLogprobs.OrderByDescending(t => t.Logprob), token.TopLogprobs);
        Assert.Equal(Enumerable.Range(0, logits.Length).MaxBy(i => logits[i]), token.TopLogprobs[0].TokenId);
        Assert.True(token.TopLogprobs.Sum(t => Math.Exp(t.Logprob)) <= 1.0);
        var expected = LogSoftmax(logits.Select(l => l / 0.7f).ToArray());
        Assert.All(token.TopLogprobs, t => Assert.Equal(expected[t.TokenId], t.Logprob, 4));
        Assert.Equal(expected[token.TokenId], token.Logprob, 4);
    }

    [Fact]
    public void Sample_WhenNoTopLogprobsAsked_ReturnsNone()
    {
        Assert.Empty(Sampler.Sample([1f, 2f], new SamplingParams(), Context(step: 0)).TopLogprobs);
    }

    [Fact]
    public void Sample_WhenGreedyWithoutLogprobs_ReturnsThePenalizedArgmaxAndNoLogprob()
    {
        var logits = RandomLogits(vocab: 5000, seed: 5);
        var context = new SamplingContext([7, 8], [Array.IndexOf(logits, logits.Max())], 2, 0);
        var withLogprob = new SamplingParams { Temperature = 0, RepetitionPenalty = 1.5f, FrequencyPenalty = 1f };

        var full = Sampler.Sample(logits, withLogprob, context);
        var bare = Sampler.Sample(logits, withLogprob with { Logprobs = false }, context);

        Assert.Equal(full.TokenId, bare.TokenId);
        Assert.True(full.Logprob <= 0);
        Assert.True(float.IsNaN(bare.Logprob));
        Assert.Empty(bare.TopLogprobs);
    }

    [Fact]
    public void Sample_WhenLogprobsOffButTopLogprobsAsked_StillReportsThem()
    {
        var logits = RandomLogits(vocab: 1000, seed: 6);

        var token = Sampler.Sample(logits, new SamplingParams { Temperature = 0, Logprobs = false, TopLogprobs = 3 }, Context(step: 0));

        Assert.Equal(3, token.TopLogprobs.Count);
        Assert.Equal(LogSoftmax(logits)[token.TokenId], token.Logprob, 4);
    }

    [Fact]
    public void Sample_WhenRepetitionPenalty_ReportsLogprobsOfPenalizedLogits()
    {
        float[] logits = [2f, -1f, 1f, 0.5f];
        var p = new SamplingParams { Temperature = 0, RepetitionPenalty = 2f, TopLogprobs = 4 };

        var token = Sampler.Sample(logits, p, new SamplingContext([0], [1], 1, 0));

        // Token 0: 2 / 2 = 1; token 1: -1 * 2 = -2; greedy now ties 0 and 2 at 1.0 and takes the lower id.
        var expected = LogSoftmax([1f, -2f, 1f, 0.5f]);
        Assert.Equal(0, token.TokenId);
        Assert.All(token.TopLogprobs, t => Assert.Equal(expected[t.TokenId], t.Logprob, 5));
    }

    [Fact]
    public void Sample_WhenLogitIsNaN_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Sampler.Sample([0f, float.NaN], new SamplingParams(), Context(0)));
        Assert.Contains("Logit 1", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Sample_WhenALongRowHasAnInvalidLogit_NamesTheFirst(float invalid)
    {
        var logits = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i)).ToArray();
        logits[613] = invalid;
        logits[900] = invalid;

        var error = Assert.Throws<ArgumentException>(() => Sampler.Sample(logits, SamplingParams.Greedy, Context(0)));
        Assert.Contains("Logit 613", error.Message);
    }

    [Fact]
    public void Sample_WhenGreedyOverALongRowWithTies_ReturnsTheLowestIdOfTheMaximum()
    {
        var logits = Enumerable.Range(0, 1003).Select(i => MathF.Sin(i)).ToArray();
        logits[411] = logits[700] = logits[1002] = 5f;
        logits[5] = float.NegativeInfinity;

        Assert.Equal(411, Sampler.Sample(logits, SamplingParams.Greedy, Context(0)).TokenId);
    }

    [Fact]
    public void Sample_WhenEveryLogitIsMasked_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            Sampler.Sample([float.NegativeInfinity, float.NegativeInfinity], new SamplingParams(), Context(0)));
    }

    [Fact]
    public void Sample_WhenMaskedTokensPresent_NeverDrawsThem()
    {
        float[] logits = [float.NegativeInfinity, 0f, float.NegativeInfinity, 0f];

        Assert.Equal(new HashSet<int> { 1, 3 }, DrawMany(logits, new SamplingParams(), draws: 500));
    }

    [Fact]
    public void Sample_WhenParamsInvalid_ThrowsNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => Sampler.Sample([0f], new SamplingParams { TopP = 0 }, Context(0)));
        Assert.Equal("top_p", error.ParamName);
    }

    private static SamplingContext Context(int step, long seed = 42) => new(NoTokens, NoTokens, step, seed);

    private static HashSet<int> DrawMany(float[] logits, SamplingParams p, int draws) =>
        Enumerable.Range(0, draws).Select(step => Sampler.Sample(logits, p, Context(step)).TokenId).ToHashSet();

    private static float[] LogitsOf(params double[] probabilities) => probabilities.Select(x => (float)Math.Log(x)).ToArray();

    private static float[] RandomLogits(int vocab, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, vocab).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
    }

    private static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exps = logits.Select(l => Math.Exp(l - max)).ToArray();
        return exps.Select(e => e / exps.Sum()).ToArray();
    }

    private static float[] LogSoftmax(float[] logits) => Softmax(logits).Select(p => (float)Math.Log(p)).ToArray();
}
