using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class SamplingParamsTests
{
    public static TheoryData<SamplingParams, string, string> InvalidParams => new()
    {
        { new SamplingParams { Temperature = 2.5f }, "temperature", "[0, 2]" },
        { new SamplingParams { Temperature = -0.1f }, "temperature", "[0, 2]" },
        { new SamplingParams { Temperature = float.NaN }, "temperature", "[0, 2]" },
        { new SamplingParams { TopP = 0f }, "top_p", "(0, 1]" },
        { new SamplingParams { TopP = 1.01f }, "top_p", "(0, 1]" },
        { new SamplingParams { TopK = -2 }, "top_k", "-1" },
        { new SamplingParams { MinP = 1.5f }, "min_p", "[0, 1]" },
        { new SamplingParams { RepetitionPenalty = 0f }, "repetition_penalty", "> 0" },
        { new SamplingParams { PresencePenalty = 2.1f }, "presence_penalty", "[-2, 2]" },
        { new SamplingParams { FrequencyPenalty = -3f }, "frequency_penalty", "[-2, 2]" },
        { new SamplingParams { TopLogprobs = 21 }, "top_logprobs", "[0, 20]" },
        { new SamplingParams { MaxTokens = 0 }, "max_tokens", "at least 1" },
        { new SamplingParams { StopTokenIds = [5, -1] }, "stop_token_ids", ">= 0" },
    };

    [Theory]
    [MemberData(nameof(InvalidParams))]
    public void Validate_WhenValueOutOfRange_NamesFieldAndRange(SamplingParams p, string field, string range)
    {
        var error = Assert.Throws<ArgumentException>(p.Validate);

        Assert.Equal(field, error.ParamName);
        Assert.StartsWith($"{field} must", error.Message);
        Assert.Contains(range, error.Message);
        Assert.False(p.TryValidate(out var message));
        Assert.StartsWith(field, message);
    }

    [Fact]
    public void Validate_WhenValuesAtTheirBounds_Accepts()
    {
        var p = new SamplingParams
        {
            Temperature = 2f, TopK = -1, TopP = 1f, MinP = 1f, RepetitionPenalty = 0.01f,
            PresencePenalty = -2f, FrequencyPenalty = 2f, TopLogprobs = 20, MaxTokens = 1, StopTokenIds = [0],
        };

        p.Validate();
        Assert.True(p.TryValidate(out var error));
        Assert.Null(error);
    }

    [Fact]
    public void ResolveSeed_WhenSeedGiven_ReturnsIt()
    {
        Assert.Equal(77, new SamplingParams { Seed = 77 }.ResolveSeed());
    }

    [Fact]
    public void IsGreedy_WhenTemperatureZero_IsTrue()
    {
        Assert.True(SamplingParams.Greedy.IsGreedy);
        Assert.False(new SamplingParams().IsGreedy);
    }
}
