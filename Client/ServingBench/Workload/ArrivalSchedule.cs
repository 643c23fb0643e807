namespace Cluster.ServingBench.Workload;

/// <summary>
/// When each request is sent, as offsets from the start: a Poisson process of rate R (exponential
/// gaps of mean 1/R, seeded) or, for an infinite rate, everything at once.
/// </summary>
public static class ArrivalSchedule
{
    public static TimeSpan[] Poisson(int count, double requestsPerSecond, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (double.IsPositiveInfinity(requestsPerSecond))
            return new TimeSpan[count];
        if (!(requestsPerSecond > 0))
            throw new ArgumentOutOfRangeException(nameof(requestsPerSecond), requestsPerSecond, "a request rate must be positive (or inf)");
        var random = new Random(seed);
        var offsets = new TimeSpan[count];
        double at = 0;
        for (int i = 0; i < count; i++)
        {
            offsets[i] = TimeSpan.FromSeconds(at);
            // Inverse-CDF draw; 1 − u keeps the argument of Log in (0, 1].
            at += -Math.Log(1 - random.NextDouble()) / requestsPerSecond;
        }
        return offsets;
    }

    /// <summary>"inf" or a positive number, as typed after <c>--request-rate</c>.</summary>
    public static double ParseRate(string text) =>
        text.Trim().Equals("inf", StringComparison.OrdinalIgnoreCase)
            ? double.PositiveInfinity
            : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double rate) && rate > 0
                ? rate
                : throw new FormatException($"request rate '{text}' is not a positive number or inf");
}
