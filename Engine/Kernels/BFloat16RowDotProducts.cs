using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y[t, r] = w[r] · x[t] for bfloat16 weight rows against one to three float32 inputs (decode of a
/// few sequences), each row read once, front to back, as <see cref="RowDotProducts"/> reads float32
/// rows. Two neighbouring bfloat16 weights fill one 32-bit lane: the lane shifted left by 16 is the
/// even weight as a float32, the lane with its low half cleared the odd one, so a 256-bit load
/// gives sixteen weights for two multiply-adds and two plain bit operations, with no widening
/// shuffle. The inputs are laid out to match (<see cref="PairedInputs"/>).
/// </summary>
internal static unsafe class BFloat16RowDotProducts
{
    /// <summary>Input rows up to which this kernel is used; from four on, widened rows go to the float32 kernels.</summary>
    public const int MaxTokens = 3;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in MatMulArguments a, PairedInputs inputs, int firstRow, int endRow)
    {
        int cols = a.Columns;
        for (int r = firstRow; r < endRow; r++)
        {
            ushort* w = a.BFloat16Weights + (long)r * cols;
            for (int t = 0; t < a.Tokens; t++)
                a.Output[(long)t * a.Rows + r] = Sequential(w, inputs.Row(t), a.Input + (long)t * cols, cols);
        }
    }

    /// <param name="paired">the input in <see cref="PairedInputs"/>' layout, for the whole blocks of sixteen.</param>
    /// <param name="x">the input as given, for the columns after the last whole block.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sequential(ushort* w, float* paired, float* x, int cols)
    {
        var odd = Vector256.Create(0xFFFF0000u);
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int k = 0;
        for (; k + 32 <= cols; k += 32)
        {
            var first = Vector256.Load((uint*)(w + k));
            var second = Vector256.Load((uint*)(w + k + 16));
            s0 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(first, 16).AsSingle(), Vector256.Load(paired + k), s0);
            s1 = Vector256.FusedMultiplyAdd((first & odd).AsSingle(), Vector256.Load(paired + k + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(second, 16).AsSingle(), Vector256.Load(paired + k + 16), s2);
            s3 = Vector256.FusedMultiplyAdd((second & odd).AsSingle(), Vector256.Load(paired + k + 24), s3);
        }
        for (; k + 16 <= cols; k += 16)
        {
            var block = Vector256.Load((uint*)(w + k));
            s0 = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(block, 16).AsSingle(), Vector256.Load(paired + k), s0);
            s1 = Vector256.FusedMultiplyAdd((block & odd).AsSingle(), Vector256.Load(paired + k + 8), s1);
        }
        float y = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; k < cols; k++) y += BFloat16Ops.ToSingle(w[k]) * x[k];
        return y;
    }
}
