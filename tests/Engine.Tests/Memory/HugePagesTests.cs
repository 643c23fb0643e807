using System.Globalization;
using Cluster.Engine.Kernels;
using Cluster.Engine.Memory;
using Cluster.Engine.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Memory;

public class HugePagesTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 3_000_000)]
    [InlineData(ScalarType.BFloat16, 1_234_567)]
    public void Allocate_GivesAUsableBufferOnA2MiBBoundary(ScalarType dtype, long elements)
    {
        using var buffer = HugePages.Allocate(elements, dtype, out _);

        Assert.Equal(dtype, buffer.dtype);
        Assert.Equal([elements], buffer.shape);
        Assert.True(buffer.is_contiguous());
        Assert.Equal(0, (long)TensorMemory.Pointer(buffer) % HugePages.PageBytes);
        using var two = 2.0.ToScalar();
        buffer.fill_(two);
        Assert.Equal(2.0 * elements, buffer.to(ScalarType.Float64).sum().item<double>());
    }

    [Fact]
    public void Allocate_OfNothing_IsEmpty()
    {
        using var buffer = HugePages.Allocate(0, ScalarType.Float32, out bool advised);

        Assert.Equal(0, buffer.NumberOfElements);
        Assert.False(advised);
    }

    [Fact]
    public void Allocate_OnLinuxWithTransparentHugePages_IsBackedBy2MiBPagesOnceTouched()
    {
        const long elements = 8L << 20; // 32 MiB of float32
        using var buffer = HugePages.Allocate(elements, ScalarType.Float32, out bool advised);
        Assert.Equal(TransparentHugePages.CanAdvise, advised);
        if (TransparentHugePages.Mode == "never") return; // nothing is granted: nothing more to see

        using var one = 1.0.ToScalar();
        buffer.fill_(one);

        long address = TensorMemory.Pointer(buffer);
        Assert.True(AnonHugePagesKiB(address) > 0, $"no 2 MiB page in the mapping at 0x{address:x} (THP: {TransparentHugePages.Mode})");
    }

    /// <summary>AnonHugePages of the mapping in /proc/self/smaps that holds <paramref name="address"/>.</summary>
    private static long AnonHugePagesKiB(long address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            if (dash > 0 && line.IndexOf(' ') > dash && long.TryParse(line[..dash], NumberStyles.HexNumber, null, out long start))
            {
                long end = long.Parse(line[(dash + 1)..line.IndexOf(' ')], NumberStyles.HexNumber);
                inside = start <= address && address < end;
            }
            else if (inside && line.StartsWith("AnonHugePages:"))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
        }
        throw new InvalidOperationException($"no mapping holds 0x{address:x}");
    }
}
