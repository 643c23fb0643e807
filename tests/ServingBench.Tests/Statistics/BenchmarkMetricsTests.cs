using Cluster.ServingBench.Statistics;

namespace Cluster.ServingBench.Tests.Statistics;

public sealed class BenchmarkMetricsTests
{
    private static RequestOutcome Ok(double ttft, double e2e, int output, int prompt = 10, params double[] itl) => new()
    {
        Success = true,
        TtftMs = ttft,
        E2elMs = e2e,
        OutputTokens = output,
        PromptTokens = prompt,
        ItlMs = itl,
    };

    [Fact]
    public void TpotMs_WhenSeveralTokens_IsDecodeTimeOverTokensAfterTheFirst()
    {
        Assert.Equal(10, Ok(ttft: 100, e2e: 190, output: 10).TpotMs);
        Assert.Equal(0, Ok(ttft: 100, e2e: 100, output: 1).TpotMs);
    }

    [Fact]
    public void Compute_WhenMixedOutcomes_CountsOnlySuccessesInThroughputAndLatencies()
    {
        RequestOutcome[] outcomes =
        [
            Ok(100, 190, 10, 20, 10, 10),
            Ok(300, 300, 1, 30),
            RequestOutcome.Failed("boom", 5),
        ];

        var m = BenchmarkMetrics.Compute(outcomes, TimeSpan.FromSeconds(2), Slo.None);

        Assert.Equal(2, m.Completed);
        Assert.Equal(1, m.Failed);
        Assert.Equal(50, m.TotalInputTokens);
        Assert.Equal(11, m.TotalOutputTokens);
        Assert.Equal(1.0, m.RequestThroughput);
        Assert.Equal(5.5, m.OutputThroughput);
        Assert.Equal(30.5, m.TotalTokenThroughput);
        Assert.Equal(200, m.Ttft.Mean);
        Assert.Equal(1, m.Tpot.Count); // the one-token answer has no TPOT
        Assert.Equal(10, m.Tpot.Mean);
        Assert.Equal(2, m.Itl.Count);
        Assert.Null(m.Goodput);
    }

    [Fact]
    public void Compute_WhenSloGiven_GoodputCountsRequestsMeetingEveryBound()
    {
        RequestOutcome[] outcomes = [Ok(100, 190, 10), Ok(300, 390, 10), Ok(100, 1000, 10), RequestOutcome.Failed("x", 1)];
        var slo = Slo.Parse(["ttft:200 tpot:20"]);

        var m = BenchmarkMetrics.Compute(outcomes, TimeSpan.FromSeconds(1), slo);

        // First: ttft 100, tpot 10 → good. Second: ttft 300 → bad. Third: tpot 100 → bad. Failed → bad.
        Assert.Equal(1.0, m.Goodput);
    }

    [Theory]
    [InlineData("ttft:abc")]
    [InlineData("latency:20")]
    [InlineData("ttft:-5")]
    [InlineData("ttft")]
    public void SloParse_WhenItemMalformed_ThrowsNamingIt(string item)
    {
        var error = Assert.Throws<FormatException>(() => Slo.Parse([item]));
        Assert.Contains(item.Split(':')[0], error.Message);
    }

    [Fact]
    public void SloParse_WhenSeparateItems_SetsEachBound()
    {
        var slo = Slo.Parse(["ttft:200", "e2el:2000"]);

        Assert.Equal(new Slo(200, null, 2000), slo);
    }
}
