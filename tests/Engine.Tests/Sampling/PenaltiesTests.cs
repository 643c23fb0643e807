using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class PenaltiesTests
{
    [Fact]
    public void Apply_WhenRepetitionPenalty_DividesPositiveAndMultipliesNegativeOnceForEverySeenToken()
    {
        float[] logits = [2f, -2f, 1f, 0.5f, 3f];
        var p = new SamplingParams { RepetitionPenalty = 2f };
        var ctx = new SamplingContext([0, 0, 1], [1, 3, 3], 3, 0);

        Penalties.Apply(logits, p, ctx, Scratch(logits.Length));

        Assert.Equal([1f, -4f, 1f, 0.25f, 3f], logits);
    }

    [Fact]
    public void Apply_WhenFrequencyAndPresencePenalties_SubtractPerOutputCountAndOnce()
    {
        float[] logits = [1f, 1f, 1f, 1f];
        var p = new SamplingParams { FrequencyPenalty = 0.5f, PresencePenalty = 0.25f };
        var ctx = new SamplingContext([0, 1], [2, 2, 3, 2], 4, 0);

        Penalties.Apply(logits, p, ctx, Scratch(logits.Length));

        // The prompt is not penalized; token 2 appeared 3 times, token 3 once.
        Assert.Equal([1f, 1f, 1f - 1.5f - 0.25f, 1f - 0.5f - 0.25f], logits);
    }

    [Fact]
    public void Apply_WhenNegativePenalties_RaiseLogits()
    {
        float[] logits = [0f, 0f];
        var p = new SamplingParams { FrequencyPenalty = -1f, PresencePenalty = -0.5f };

        Penalties.Apply(logits, p, new SamplingContext([], [1, 1], 2, 0), Scratch(2));

        Assert.Equal([0f, 2.5f], logits);
    }

    [Fact]
    public void Apply_WhenCalledAgain_DoesNotCarryCountsOver()
    {
        var scratch = Scratch(3);
        var p = new SamplingParams { FrequencyPenalty = 1f, RepetitionPenalty = 2f };
        float[] first = [4f, 4f, 4f];
        Penalties.Apply(first, p, new SamplingContext([], [0, 0], 2, 0), scratch);
        float[] second = [4f, 4f, 4f];

        Penalties.Apply(second, p, new SamplingContext([], [1], 1, 0), scratch);

        Assert.Equal([4f, 1f, 4f], second);
    }

    [Fact]
    public void Apply_WhenTokenOutsideVocabulary_ThrowsNamingIt()
    {
        var p = new SamplingParams { RepetitionPenalty = 1.1f };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Penalties.Apply(new float[4], p, new SamplingContext([9], [], 0, 0), Scratch(4)));
        Assert.Contains("Token id 9", error.Message);
    }

    private static SamplerScratch Scratch(int vocab) => SamplerScratch.For(vocab);
}
