using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y[t, r] = w[r] · x[t] for a block of weight rows and every input row: the inner
/// loop of a memory-bound matrix product. Four weight rows go through the loop together so that
/// four streams are in flight and each load of x serves four products; the block's rows are read
/// from memory once and from cache for every further input row.
/// Optimized from the first call: the tiered JIT would otherwise run the first decode passes through
/// unoptimized loops.
/// </summary>
internal static unsafe class RowDotProducts
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TWeights>(in ThinProductArguments a, int firstRow, int endRow) where TWeights : IWeightElements
    {
        int cols = a.Columns;
        long rowBytes = (long)cols * TWeights.ElementSize;
        int r = firstRow;
        for (; r + 4 <= endRow; r += 4)
        {
            byte* w0 = a.Weights + r * rowBytes;
            for (int t = 0; t < a.Tokens; t++)
            {
                float* x = a.Input + (long)t * cols;
                Four<TWeights>(w0, rowBytes, x, cols, a.Output + (long)t * a.Rows + r);
            }
        }
        for (; r < endRow; r++)
        {
            byte* w = a.Weights + r * rowBytes;
            for (int t = 0; t < a.Tokens; t++)
                a.Output[(long)t * a.Rows + r] = One<TWeights>(w, a.Input + (long)t * cols, cols);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Four<TWeights>(byte* w0, long rowBytes, float* x, int cols, float* y) where TWeights : IWeightElements
    {
        byte* w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        var s0 = Vector512<float>.Zero;
        var s1 = s0;
        var s2 = s0;
        var s3 = s0;
        int k = 0;
        for (; k + 16 <= cols; k += 16)
        {
            var xk = Vector512.Load(x + k);
            s0 = Vector512.FusedMultiplyAdd(TWeights.Load16(w0, k), xk, s0);
            s1 = Vector512.FusedMultiplyAdd(TWeights.Load16(w1, k), xk, s1);
            s2 = Vector512.FusedMultiplyAdd(TWeights.Load16(w2, k), xk, s2);
            s3 = Vector512.FusedMultiplyAdd(TWeights.Load16(w3, k), xk, s3);
        }
        float y0 = Vector512.Sum(s0), y1 = Vector512.Sum(s1), y2 = Vector512.Sum(s2), y3 = Vector512.Sum(s3);
        for (; k < cols; k++)
        {
            y0 += TWeights.Load1(w0, k) * x[k];
            y1 += TWeights.Load1(w1, k) * x[k];
            y2 += TWeights.Load1(w2, k) * x[k];
            y3 += TWeights.Load1(w3, k) * x[k];
        }
        y[0] = y0;
        y[1] = y1;
        y[2] = y2;
        y[3] = y3;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float One<TWeights>(byte* w, float* x, int cols) where TWeights : IWeightElements
    {
        var s = Vector512<float>.Zero;
        int k = 0;
        for (; k + 16 <= cols; k += 16)
            s = Vector512.FusedMultiplyAdd(TWeights.Load16(w, k), Vector512.Load(x + k), s);
        float y = Vector512.Sum(s);
        for (; k < cols; k++) y += TWeights.Load1(w, k) * x[k];
        return y;
    }
}
