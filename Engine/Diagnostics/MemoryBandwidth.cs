using System.Diagnostics;
using Cluster.Engine.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Diagnostics;

/// <summary>
/// Measures how fast this machine streams memory through libtorch's own kernels (a reduction over
/// a buffer far larger than the caches), the ceiling for memory-bound decode: tokens/s for one
/// sequence cannot beat bandwidth ÷ bytes of weights read per token. The buffer is read both in
/// 2 MiB pages (as the engine holds its weights, <see cref="HugePages"/>) and in the 4 KiB pages of
/// a plain allocation, and the faster counts: the ceiling is the best the machine reads.
/// </summary>
public static class MemoryBandwidth
{
    /// <summary>Best of <paramref name="repeats"/> passes over <paramref name="megabytes"/> MiB in either kind of page, in bytes per second.</summary>
    public static double MeasureReadBytesPerSecond(int megabytes = 1024, int repeats = 5)
    {
        using var inference = torch.inference_mode();
        long elements = megabytes * (1L << 20) / sizeof(float);
        double inHugePages, inSmallPages;
        using (var buffer = HugePages.Allocate(elements, ScalarType.Float32, out _))
            inHugePages = BestRead(buffer, repeats);
        using (var buffer = torch.empty(elements, ScalarType.Float32))
            inSmallPages = BestRead(buffer, repeats);
        return Math.Max(inHugePages, inSmallPages);
    }

    private static double BestRead(Tensor buffer, int repeats)
    {
        using var one = 1.0.ToScalar(); // explicit and alive for the call (see Model/RmsNorm.cs)
        buffer.fill_(one); // faults every page in before anything is timed
        double best = 0;
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            using var sum = buffer.sum();
            _ = sum.item<float>();
            best = Math.Max(best, buffer.NumberOfElements * sizeof(float) / watch.Elapsed.TotalSeconds);
        }
        return best;
    }
}
