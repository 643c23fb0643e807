using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cluster.Engine.Kernels;

/// <summary>How a matrix kernel reads its weights: sixteen elements at a time, widened to float32.</summary>
internal unsafe interface IWeightElements
{
    static abstract int ElementSize { get; }

    static abstract Vector512<float> Load16(byte* row, int index);

    static abstract float Load1(byte* row, int index);
}

/// <summary>float32 weights, read as they are.</summary>
internal readonly unsafe struct Float32Elements : IWeightElements
{
    public static int ElementSize => sizeof(float);

    public static Vector512<float> Load16(byte* row, int index) => Vector512.Load((float*)row + index);

    public static float Load1(byte* row, int index) => ((float*)row)[index];
}

/// <summary>bfloat16 weights: the upper half of a float32, so widening is a 16-bit shift.</summary>
internal readonly unsafe struct BFloat16Elements : IWeightElements
{
    public static int ElementSize => sizeof(ushort);

    public static Vector512<float> Load16(byte* row, int index)
    {
        var halves = Vector256.Load((ushort*)row + index);
        var widened = Avx512F.IsSupported
            ? Avx512F.ConvertToVector512UInt32(halves)
            : Vector512.Create(Vector256.WidenLower(halves), Vector256.WidenUpper(halves));
        return (widened << 16).AsSingle();
    }

    public static float Load1(byte* row, int index) => BitConverter.Int32BitsToSingle(((ushort*)row)[index] << 16);
}
