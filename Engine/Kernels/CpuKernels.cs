using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>Whether the engine's own CPU kernels (float32 matrix products, the fused decode pass) are used instead of libtorch.</summary>
public static class CpuKernels
{
    private static bool _enabled = true;

    /// <summary>
    /// On where the CPU has wide vector units; off sends every step through libtorch (for
    /// side-by-side measurements, and as the reference the kernels are tested against).
    /// </summary>
    public static bool Enabled
    {
        get => _enabled && Supported;
        set => _enabled = value;
    }

    /// <summary>The kernels are written for 512-bit vectors, which the JIT splits in two on AVX2-only CPUs.</summary>
    public static bool Supported => Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated;
}
