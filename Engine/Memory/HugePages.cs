using System.Runtime.InteropServices;
using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Memory;

/// <summary>
/// CPU buffers in 2 MiB pages where Linux grants them: transparent huge pages, asked for with
/// <c>madvise(MADV_HUGEPAGE)</c> before the buffer is first touched, so they work where THP is set
/// to <c>madvise</c> as well as <c>always</c>. Streaming a decode pass's
/// weights through 4 KiB pages costs a TLB miss every 4 KiB (in a VM, a walk of two page tables);
/// in 2 MiB pages the same products ran 10–30 % faster here (docs/benchmarks.md). Where THP is off,
/// or not on Linux, the buffer is an ordinary allocation.
/// </summary>
public static class HugePages
{
    public const long PageBytes = 2L << 20;

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE in <linux/mman.h>

    /// <summary>
    /// An uninitialized 1-D CPU tensor of <paramref name="elements"/> elements, starting on a
    /// 2 MiB boundary, owned by libtorch like any other. <paramref name="advised"/> tells whether
    /// the kernel accepted the request for huge pages (whether it grants them is its decision).
    /// </summary>
    public static Tensor Allocate(long elements, ScalarType dtype, out bool advised)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        using var scope = NewDisposeScope();
        long elementSize = dtype.ElementSize();
        long bytes = elements * elementSize;
        // Room to move the start to the next 2 MiB boundary and to advise whole pages past the end.
        var backing = torch.empty(elements + 2 * PageBytes / elementSize, dtype);
        long address = TensorMemory.Pointer(backing);
        long start = RoundUp(address, PageBytes);
        advised = bytes > 0 && OperatingSystem.IsLinux() && madvise((IntPtr)start, (nuint)RoundUp(bytes, PageBytes), MadviseHugePage) == 0;
        return backing.narrow(0, (start - address) / elementSize, elements).MoveToOuterDisposeScope();
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;

    [DllImport("libc", SetLastError = true)]
    private static extern int madvise(IntPtr address, nuint length, int advice);
}
