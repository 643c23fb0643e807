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

    /// <summary>
    /// q·k₀ … q·k₃: four independent dot products in one pass over q, so four dependency chains run
    /// side by side where one dot product would wait on its own multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Dot4(float* q, float* k0, float* k1, float* k2, float* k3, int n)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var qi = Vector512.Load(q + i);
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(k0 + i), qi, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(k1 + i), qi, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(k2 + i), qi, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(k3 + i), qi, s3);
        }
        float d0 = Vector512.Sum(s0), d1 = Vector512.Sum(s1), d2 = Vector512.Sum(s2), d3 = Vector512.Sum(s3);
        for (; i < n; i++)
        {
            d0 += q[i] * k0[i];
            d1 += q[i] * k1[i];
            d2 += q[i] * k2[i];
            d3 += q[i] * k3[i];
        }
        return Vector128.Create(d0, d1, d2, d3);
    }

    /// <summary>y += a₀·x₀ + a₁·x₁ + a₂·x₂ + a₃·x₃, touching y once for the four.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd4(Vector128<float> a, float* x0, float* x1, float* x2, float* x3, float* y, int n)
    {
        var a0 = Vector512.Create(a[0]);
        var a1 = Vector512.Create(a[1]);
        var a2 = Vector512.Create(a[2]);
        var a3 = Vector512.Create(a[3]);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var low = Vector512.FusedMultiplyAdd(Vector512.Load(x1 + i), a1, Vector512.Load(x0 + i) * a0);
            var high = Vector512.FusedMultiplyAdd(Vector512.Load(x3 + i), a3, Vector512.Load(x2 + i) * a2);
            (Vector512.Load(y + i) + (low + high)).Store(y + i);
        }
        for (; i < n; i++) y[i] += a[0] * x0[i] + a[1] * x1[i] + a[2] * x2[i] + a[3] * x3[i];
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
