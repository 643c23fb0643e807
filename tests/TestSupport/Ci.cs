namespace Cluster.TestSupport;

/// <summary>
/// The one rule for tests that need something a fresh clone may lack (model files, Redis,
/// kubectl): they skip with the reason, except under <c>CI=true</c>, where the thing must be
/// there and its absence is a failure instead.
/// </summary>
public static class Ci
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The skip reason for a test attribute: null (run) when the need is met or under CI.</summary>
    public static string? SkipUnless(bool available, string reason) => available || IsCi ? null : reason;
}
