using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Diagnostics;

/// <summary>
/// Measures how fast this machine streams memory through libtorch's own kernels (a reduction over
/// a buffer far larger than the caches), the ceiling for memory-bound decode: tokens/s for one
/// sequence cannot beat bandwidth ÷ bytes of weights read per token.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>Best of <paramref name="repeats"/> passes over <paramref name="megabytes"/> MiB, in bytes per second.</summary>
    public static double MeasureReadBytesPerSecond(int megabytes = 1024, int repeats = 5)
    {
        using var inference = torch.inference_mode();
        using var buffer = torch.ones(megabytes * (1L << 20) / sizeof(float), ScalarType.Float32);
        double best = 0;
        for (int i = 0; i < repeats + 1; i++)
        {
            var watch = Stopwatch.StartNew();
            using var sum = buffer.sum();
            _ = sum.item<float>();
            double rate = buffer.NumberOfElements * sizeof(float) / watch.Elapsed.TotalSeconds;
            if (i > 0) best = Math.Max(best, rate); // the first pass also faults the pages in
        }
        return best;
    }
}
