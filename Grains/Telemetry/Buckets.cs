namespace Cluster.Grains.Telemetry;

/// <summary>Histogram bucket boundaries from docs/metrics.md (the SDK's defaults are useless for seconds).</summary>
internal static class Buckets
{
    public static readonly double[] RequestPhaseSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320, 640];
    public static readonly int[] BatchSequences = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
    public static readonly int[] SequencePages = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
    public static readonly int[] BatchTokens = [1, 4, 16, 64, 256, 1024, 4096, 16384];
    public static readonly double[] ForwardSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    public static readonly double[] HopSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
}
