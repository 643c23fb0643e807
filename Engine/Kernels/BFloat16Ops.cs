using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// bfloat16 values on float32 arithmetic. A bfloat16 is the upper half of a float32, so widening
/// is a shift of the bits and costs no conversion instruction; narrowing rounds to nearest even, as
/// libtorch does. The rows read here (weights, keys and values) are widened in registers, so a
/// kernel reads half the bytes of float32 and computes in float32.
/// </summary>
internal static unsafe class BFloat16Ops
{
    public static float ToSingle(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40); // stays a (quiet) NaN
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16);
    }

    public static void Widen(ushort* source, float* destination, long n)
    {
        long i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(source + i));
            Vector256.ShiftLeft(lower, 16).AsSingle().Store(destination + i);
            Vector256.ShiftLeft(upper, 16).AsSingle().Store(destination + i + 8);
        }
        for (; i < n; i++) destination[i] = ToSingle(source[i]);
    }

    public static void Narrow(float* source, ushort* destination, long n)
    {
        for (long i = 0; i < n; i++) destination[i] = FromSingle(source[i]);
    }

    /// <summary>a · b for a float32 row and a bfloat16 row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, ushort* b, int n)
    {
        Vector256<float> s0 = default, s1 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(b + i));
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.ShiftLeft(lower, 16).AsSingle(), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.ShiftLeft(upper, 16).AsSingle(), s1);
        }
        float result = Vector256.Sum(s0 + s1);
        for (; i < n; i++) result += a[i] * ToSingle(b[i]);
        return result;
    }

    /// <summary>y += a·x for a bfloat16 row x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, ushort* x, float* y, int n)
    {
        var scale = Vector256.Create(a);
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            var (lower, upper) = Vector256.Widen(Vector256.Load(x + i));
            Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(lower, 16).AsSingle(), scale, Vector256.Load(y + i)).Store(y + i);
            Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(upper, 16).AsSingle(), scale, Vector256.Load(y + i + 8)).Store(y + i + 8);
        }
        for (; i < n; i++) y[i] += a * ToSingle(x[i]);
    }
}
