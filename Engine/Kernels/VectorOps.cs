using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// The element-wise and reduction steps of one decode token on float32 rows: sixteen lanes at a
/// time, then a scalar tail (head sizes as small as 8 occur). Each mirrors a step of the libtorch
/// forward, in the same float32 arithmetic.
/// </summary>
internal static unsafe class VectorOps
{
    /// <summary>
    /// Asks for <paramref name="n"/> floats from <paramref name="start"/> on to be brought into the
    /// caches, one request per cache line, without waiting for them (nothing where the instruction set has no prefetch).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(float* start, long n)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        for (long i = 0; i < n; i += 64 / sizeof(float)) System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n)
    {
        var sum = Vector512<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16) sum = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), sum);
        float result = Vector512.Sum(sum);
        for (; i < n; i++) result += a[i] * b[i];
        return result;
    }

    /// <summary>y += a·x</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, float* x, float* y, int n)
    {
        var scale = Vector512.Create(a);
        int i = 0;
        for (; i + 16 <= n; i += 16) Vector512.FusedMultiplyAdd(Vector512.Load(x + i), scale, Vector512.Load(y + i)).Store(y + i);
        for (; i < n; i++) y[i] += a * x[i];
    }

    /// <summary>y += x</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* x, float* y, int n)
    {
        int i = 0;
        for (; i + 16 <= n; i += 16) (Vector512.Load(y + i) + Vector512.Load(x + i)).Store(y + i);
        for (; i < n; i++) y[i] += x[i];
    }

    /// <summary>The largest of x[0] … x[n − 1] (n ≥ 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Max(float* x, int n)
    {
        var lanes = Vector512.Create(float.NegativeInfinity);
        int i = 0;
        for (; i + 16 <= n; i += 16) lanes = Vector512.Max(lanes, Vector512.Load(x + i));
        float max = float.NegativeInfinity;
        for (int lane = 0; lane < 16; lane++) max = MathF.Max(max, lanes[lane]);
        for (; i < n; i++) max = MathF.Max(max, x[i]);
        return max;
    }

    /// <summary>x[i] ·= a</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scale(float* x, float a, int n)
    {
        var lanes = Vector512.Create(a);
        int i = 0;
        for (; i + 16 <= n; i += 16) (Vector512.Load(x + i) * lanes).Store(x + i);
        for (; i < n; i++) x[i] *= a;
    }

    /// <summary>x[i] = e^(x[i] − max) for every i; returns their sum (a softmax's numerators and denominator).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float ExpShifted(float* x, int n, float max)
    {
        var shift = Vector512.Create(max);
        var sum = Vector512<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var e = Vector512.Exp(Vector512.Load(x + i) - shift);
            e.Store(x + i);
            sum += e;
        }
        float total = Vector512.Sum(sum);
        for (; i < n; i++) total += x[i] = MathF.Exp(x[i] - max);
        return total;
    }

    /// <summary>output = x / sqrt(mean(x²) + eps) · weight</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RmsNorm(float* x, float* weight, float eps, float* output, int n)
    {
        float scale = 1f / MathF.Sqrt(Dot(x, x, n) / n + eps);
        var lanes = Vector512.Create(scale);
        int i = 0;
        for (; i + 16 <= n; i += 16) (Vector512.Load(x + i) * lanes * Vector512.Load(weight + i)).Store(output + i);
        for (; i < n; i++) output[i] = x[i] * scale * weight[i];
    }

    /// <summary>output = silu(gate) · up, silu(g) = g / (1 + e^−g)</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluTimes(float* gate, float* up, float* output, int n)
    {
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var g = Vector512.Load(gate + i);
            (g / (Vector512<float>.One + Vector512.Exp(-g)) * Vector512.Load(up + i)).Store(output + i);
        }
        for (; i < n; i++) output[i] = gate[i] / (1f + MathF.Exp(-gate[i])) * up[i];
    }

    /// <summary>
    /// Rotates each head of <paramref name="heads"/> (count × headDim) in the rotate-half layout:
    /// (x₁, x₂) → (x₁·cos − x₂·sin, x₂·cos + x₁·sin) with one angle per pair.
    /// </summary>
    public static void RotateHalf(float* heads, int count, int headDim, float* cos, float* sin)
    {
        int half = headDim / 2;
        for (int h = 0; h < count; h++)
        {
            float* v = heads + (long)h * headDim;
            for (int i = 0; i < half; i++)
            {
                float x1 = v[i], x2 = v[i + half];
                v[i] = x1 * cos[i] - x2 * sin[i];
                v[i + half] = x2 * cos[i] + x1 * sin[i];
            }
        }
    }
}
