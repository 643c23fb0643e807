using Cluster.ServingBench.Workload;

namespace Cluster.ServingBench.Tests.Workload;

public sealed class RandomDatasetTests
{
    [Fact]
    public void Generate_WhenRangeRatio_LengthsStayInRangeAndPromptsHaveThatManyWords()
    {
        var prompts = RandomDataset.Generate(200, inputLength: 100, outputLength: 50, rangeRatio: 0.2, seed: 3);

        Assert.All(prompts, p =>
        {
            Assert.InRange(p.InputLength, 80, 120);
            Assert.InRange(p.MaxTokens, 40, 60);
            Assert.Equal(p.InputLength, p.Text.Split(' ').Length);
        });
        Assert.True(prompts.Select(p => p.InputLength).Distinct().Count() > 10, "lengths should vary");
    }

    [Fact]
    public void Generate_WhenRatioZero_EveryRequestHasTheFixedLengths()
    {
        var prompts = RandomDataset.Generate(20, 32, 16, rangeRatio: 0, seed: 0);

        Assert.All(prompts, p => Assert.Equal((32, 16), (p.InputLength, p.MaxTokens)));
        Assert.Equal(20, prompts.Select(p => p.Text).Distinct().Count());
    }

    [Fact]
    public void Generate_WhenSameSeed_GivesSamePrompts()
    {
        Assert.Equal(RandomDataset.Generate(5, 10, 10, 0.5, 9), RandomDataset.Generate(5, 10, 10, 0.5, 9));
    }
}
