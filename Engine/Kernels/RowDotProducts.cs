using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y[t, r] = w[r] · x[t] for a chunk of weight rows and every input row, reading the inputs in
/// place: the kernel of up to four input rows (<see cref="TiledDotProducts"/> takes more). Against one to three
/// inputs (decode of a few sequences) the chunk's rows are read one after another, in 256-bit
/// loads: one sequential stream per thread, which the hardware prefetchers follow best, and a
/// row stays in L1 for the further inputs. Sixteen row streams side by side in 512-bit loads were
/// slower in paired runs over a decode pass's matrices (82 of 100, by 3–8 %; docs/benchmarks.md).
/// Against four inputs at once rows go four at a time and sixteen sums share every load. A block
/// of rows is read from memory once and from cache for every further input. Optimized from the
/// first call: the tiered JIT would otherwise run the first decode passes through unoptimized loops.
/// </summary>
internal static unsafe class RowDotProducts
{
    private const int TokenTile = 64;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in MatMulArguments a, int firstRow, int endRow)
    {
        int cols = a.Columns;
        long rowStride = cols;
        if (a.Tokens < 4)
        {
            for (int r = firstRow; r < endRow; r++)
            {
                float* w = a.Weights + r * rowStride;
                for (int t = 0; t < a.Tokens; t++)
                    a.Output[(long)t * a.Rows + r] = Sequential(w, a.Input + (long)t * cols, cols);
            }
            return;
        }
        // Inputs in tiles of TokenTile rows, so a tile stays in L2 while the chunk's weight rows
        // pass under it (and those, a few hundred KiB, stay in L2 for the next tile).
        int fullBlocksEnd = firstRow + (endRow - firstRow) / 4 * 4;
        for (int tile = 0; tile < a.Tokens; tile += TokenTile)
        {
            int tileEnd = Math.Min(a.Tokens, tile + TokenTile);
            for (int block = firstRow; block < fullBlocksEnd; block += 4)
            {
                float* w0 = a.Weights + block * rowStride;
                int t = tile;
                for (; t + 4 <= tileEnd; t += 4)
                    FourByFour(w0, rowStride, a.Input + (long)t * cols, cols, a.Output + (long)t * a.Rows + block, a.Rows);
                for (; t < tileEnd; t++)
                    Four(w0, rowStride, a.Input + (long)t * cols, cols, a.Output + (long)t * a.Rows + block);
            }
        }
        for (int r = fullBlocksEnd; r < endRow; r++)
        {
            float* w = a.Weights + r * rowStride;
            for (int t = 0; t < a.Tokens; t++)
                a.Output[(long)t * a.Rows + r] = One(w, a.Input + (long)t * cols, cols);
        }
    }

    /// <summary>One row against one input, front to back in 256-bit loads, four sums in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sequential(float* w, float* x, int cols)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int k = 0;
        for (; k + 32 <= cols; k += 32)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k), Vector256.Load(x + k), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k + 8), Vector256.Load(x + k + 8), s1);
            s2 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k + 16), Vector256.Load(x + k + 16), s2);
            s3 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k + 24), Vector256.Load(x + k + 24), s3);
        }
        for (; k + 8 <= cols; k += 8)
            s0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k), Vector256.Load(x + k), s0);
        float y = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; k < cols; k++) y += w[k] * x[k];
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Four(float* w0, long rowStride, float* x, int cols, float* y)
    {
        float* w1 = w0 + rowStride, w2 = w1 + rowStride, w3 = w2 + rowStride;
        // Two accumulators per row: eight independent sums keep more loads in flight.
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
        int k = 0;
        for (; k + 32 <= cols; k += 32)
        {
            var xk = Vector512.Load(x + k);
            var xl = Vector512.Load(x + k + 16);
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(w0 + k), xk, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(w1 + k), xk, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(w2 + k), xk, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(w3 + k), xk, s3);
            t0 = Vector512.FusedMultiplyAdd(Vector512.Load(w0 + k + 16), xl, t0);
            t1 = Vector512.FusedMultiplyAdd(Vector512.Load(w1 + k + 16), xl, t1);
            t2 = Vector512.FusedMultiplyAdd(Vector512.Load(w2 + k + 16), xl, t2);
            t3 = Vector512.FusedMultiplyAdd(Vector512.Load(w3 + k + 16), xl, t3);
        }
        for (; k + 16 <= cols; k += 16)
        {
            var xk = Vector512.Load(x + k);
            s0 = Vector512.FusedMultiplyAdd(Vector512.Load(w0 + k), xk, s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Load(w1 + k), xk, s1);
            s2 = Vector512.FusedMultiplyAdd(Vector512.Load(w2 + k), xk, s2);
            s3 = Vector512.FusedMultiplyAdd(Vector512.Load(w3 + k), xk, s3);
        }
        float y0 = Vector512.Sum(s0 + t0), y1 = Vector512.Sum(s1 + t1), y2 = Vector512.Sum(s2 + t2), y3 = Vector512.Sum(s3 + t3);
        for (; k < cols; k++)
        {
            y0 += w0[k] * x[k];
            y1 += w1[k] * x[k];
            y2 += w2[k] * x[k];
            y3 += w3[k] * x[k];
        }
        y[0] = y0;
        y[1] = y1;
        y[2] = y2;
        y[3] = y3;
    }

    /// <summary>
    /// Four rows against four inputs: sixteen sums, and every load (four of weights, four of
    /// inputs) feeds four multiply-adds, so batches of inputs run at the speed of arithmetic rather
    /// than of loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourByFour(float* w0, long rowStride, float* x0, int cols, float* y, int outputStride)
    {
        float* w1 = w0 + rowStride, w2 = w1 + rowStride, w3 = w2 + rowStride;
        float* x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        int k = 0;
        for (; k + 16 <= cols; k += 16)
        {
            var v0 = Vector512.Load(x0 + k);
            var v1 = Vector512.Load(x1 + k);
            var v2 = Vector512.Load(x2 + k);
            var v3 = Vector512.Load(x3 + k);
            var w = Vector512.Load(w0 + k);
            a00 = Vector512.FusedMultiplyAdd(w, v0, a00); a01 = Vector512.FusedMultiplyAdd(w, v1, a01);
            a02 = Vector512.FusedMultiplyAdd(w, v2, a02); a03 = Vector512.FusedMultiplyAdd(w, v3, a03);
            w = Vector512.Load(w1 + k);
            a10 = Vector512.FusedMultiplyAdd(w, v0, a10); a11 = Vector512.FusedMultiplyAdd(w, v1, a11);
            a12 = Vector512.FusedMultiplyAdd(w, v2, a12); a13 = Vector512.FusedMultiplyAdd(w, v3, a13);
            w = Vector512.Load(w2 + k);
            a20 = Vector512.FusedMultiplyAdd(w, v0, a20); a21 = Vector512.FusedMultiplyAdd(w, v1, a21);
            a22 = Vector512.FusedMultiplyAdd(w, v2, a22); a23 = Vector512.FusedMultiplyAdd(w, v3, a23);
            w = Vector512.Load(w3 + k);
            a30 = Vector512.FusedMultiplyAdd(w, v0, a30); a31 = Vector512.FusedMultiplyAdd(w, v1, a31);
            a32 = Vector512.FusedMultiplyAdd(w, v2, a32); a33 = Vector512.FusedMultiplyAdd(w, v3, a33);
        }
        Span<float> sums = stackalloc float[16]
        {
            Vector512.Sum(a00), Vector512.Sum(a01), Vector512.Sum(a02), Vector512.Sum(a03),
            Vector512.Sum(a10), Vector512.Sum(a11), Vector512.Sum(a12), Vector512.Sum(a13),
            Vector512.Sum(a20), Vector512.Sum(a21), Vector512.Sum(a22), Vector512.Sum(a23),
            Vector512.Sum(a30), Vector512.Sum(a31), Vector512.Sum(a32), Vector512.Sum(a33),
        };
        for (int row = 0; row < 4; row++)
        {
            float* w = w0 + row * rowStride;
            for (int token = 0; token < 4; token++)
            {
                float* x = x0 + (long)token * cols;
                float sum = sums[row * 4 + token];
                for (int kk = k; kk < cols; kk++) sum += w[kk] * x[kk];
                y[(long)token * outputStride + row] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float One(float* w, float* x, int cols)
    {
        var s = Vector512<float>.Zero;
        int k = 0;
        for (; k + 16 <= cols; k += 16)
            s = Vector512.FusedMultiplyAdd(Vector512.Load(w + k), Vector512.Load(x + k), s);
        float y = Vector512.Sum(s);
        for (; k < cols; k++) y += w[k] * x[k];
        return y;
    }
}
