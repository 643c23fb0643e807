using Cluster.Engine.Sampling;

namespace Cluster.Engine.Tests.Sampling;

public sealed class ShiftedExponentialsTests
{
    /// <summary>Within 2 ulp of the platform's e^t over the whole range a logit row spans.</summary>
    [Fact]
    public void Exp_MatchesMathExpWithinTwoUlp()
    {
        var random = new Random(1);
        var points = Enumerable.Range(0, 200_000).Select(_ => -random.NextDouble() * 708)
            .Concat([0, -1e-300, -1e-12, -0.34657359027997264, -0.34657359027997270, -Math.Log(2), -1, -87.5, -707.9999])
            .Concat(Enumerable.Range(0, 2000).Select(n => -n * Math.Log(2) / 2)); // ties of the rounding to k
        foreach (double t in points.Where(t => t >= -708))
        {
            double expected = Math.Exp(t), actual = ShiftedExponentials.Exp(t);
            Assert.True(Math.Abs(actual - expected) <= 2 * Ulp(expected), $"e^{t:R}: {actual:R} against {expected:R}");
        }
    }

    [Theory]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-708.5)]
    [InlineData(-1e6)]
    public void Exp_BelowTheNormalRange_IsZero(double t) => Assert.Equal(0, ShiftedExponentials.Exp(t));

    [Fact]
    public void Fill_WritesEveryShiftedExponentialAndTheirSum()
    {
        var random = new Random(2);
        float[] logits = Enumerable.Range(0, 32_003).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        logits[17] = float.NegativeInfinity;
        float max = logits.Max();
        var weights = new double[logits.Length];

        double sum = ShiftedExponentials.Fill(logits, max, weights);

        for (int i = 0; i < logits.Length; i++)
            Assert.Equal(ShiftedExponentials.Exp((double)logits[i] - max), weights[i]); // vector lanes and scalar tail agree bit for bit
        Assert.Equal(0, weights[17]);
        Assert.Equal(logits.Sum(l => Math.Exp((double)l - max)), sum, 1e-9 * sum);
    }

    [Fact]
    public void Fill_RejectsTooFewWeights() =>
        Assert.Throws<ArgumentException>(() => ShiftedExponentials.Fill(new float[8], 0, new double[7]));

    private static double Ulp(double value) => Math.BitIncrement(value) - value;
}
