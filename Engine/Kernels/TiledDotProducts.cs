using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y[t, r] = w[r] · x[t] for five input rows and more (decode batches of five sequences and more,
/// prefill chunks), from the input packed as <see cref="TokenTiles"/>. Each weight is broadcast
/// against one vector of sixteen tokens, and eight weight rows against two tiles keep sixteen
/// vector sums in registers: every multiply-add is a full vector of useful work, with no
/// horizontal sum at the end, so a batch runs near the speed of the cores' multiply-add units
/// (<see cref="RowDotProducts"/>' four-by-four blocks spent a good part of theirs reducing sums).
/// Optimized from the first call, as the other kernels.
/// </summary>
internal static unsafe class TiledDotProducts
{
    /// <summary>
    /// Input rows from which this kernel beats <see cref="RowDotProducts"/>, measured: 5 to 10
    /// rows ran 3-40% faster here even with the tile padded to sixteen, while four rows suit the
    /// four-by-four blocks exactly.
    /// </summary>
    public const int MinTokens = 5;

    /// <summary>Weight rows per block; a chunk of rows is cut in multiples of <see cref="MatMulWork.ChunkRowMultiple"/>, which it divides.</summary>
    private const int BlockRows = 8;

    /// <summary>Tiles per pass over a chunk's weight rows: 128 tokens, a few hundred KiB, stay in L2 while the rows pass under them.</summary>
    private const int TilesPerGroup = 8;

    private const int W = TokenTiles.Width;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in MatMulArguments a, TokenTiles tiles, int firstRow, int endRow)
    {
        int cols = a.Columns;
        long tileStride = (long)W * cols;
        int blocksEnd = firstRow + (endRow - firstRow) / BlockRows * BlockRows;
        float* sums = stackalloc float[2 * BlockRows * W];
        for (int group = 0; group < tiles.Count; group += TilesPerGroup)
        {
            int groupEnd = Math.Min(tiles.Count, group + TilesPerGroup);
            for (int row = firstRow; row < blocksEnd; row += BlockRows)
            {
                float* w = a.Weights + (long)row * cols;
                for (int tile = group; tile + 2 <= groupEnd; tile += 2) // an odd tile is left for below
                {
                    EightRowsTwoTiles(w, cols, tiles.Data + tile * tileStride, sums);
                    Scatter(sums, BlockRows, a, tile * W, row, tiles.Tokens);
                    Scatter(sums + BlockRows * W, BlockRows, a, (tile + 1) * W, row, tiles.Tokens);
                }
            }
            if ((groupEnd - group) % 2 == 1)
            {
                // The odd tile against sixteen rows at a time: sixteen sums keep both multiply-add
                // units busy where eight wait on their own latency.
                int tile = groupEnd - 1, row = firstRow;
                for (; row + 2 * BlockRows <= blocksEnd; row += 2 * BlockRows)
                {
                    SixteenRowsOneTile(a.Weights + (long)row * cols, cols, tiles.Data + tile * tileStride, sums);
                    Scatter(sums, BlockRows, a, tile * W, row, tiles.Tokens);
                    Scatter(sums + BlockRows * W, BlockRows, a, tile * W, row + BlockRows, tiles.Tokens);
                }
                if (row < blocksEnd)
                {
                    EightRowsOneTile(a.Weights + (long)row * cols, cols, tiles.Data + tile * tileStride, sums);
                    Scatter(sums, BlockRows, a, tile * W, row, tiles.Tokens);
                }
            }
            for (int row = blocksEnd; row < endRow; row++)
                for (int tile = group; tile < groupEnd; tile++)
                    One(a.Weights + (long)row * cols, cols, tiles.Data + tile * tileStride, sums, a, tile * W, row, tiles.Tokens);
        }
    }

    /// <summary>Eight rows against two tiles: sixteen sums, each broadcast weight feeding two multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightRowsTwoTiles(float* w0, int cols, float* x0, float* sums)
    {
        long c = cols;
        float* w4 = w0 + 4 * c;
        float* x1 = x0 + (long)W * cols;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int k = 0; k < cols; k++)
        {
            var u = Vector512.Load(x0 + (long)k * W);
            var v = Vector512.Load(x1 + (long)k * W);
            var s = Vector512.Create(w0[k]);
            a0 = Vector512.FusedMultiplyAdd(s, u, a0); b0 = Vector512.FusedMultiplyAdd(s, v, b0);
            s = Vector512.Create(w0[c + k]);
            a1 = Vector512.FusedMultiplyAdd(s, u, a1); b1 = Vector512.FusedMultiplyAdd(s, v, b1);
            s = Vector512.Create(w0[2 * c + k]);
            a2 = Vector512.FusedMultiplyAdd(s, u, a2); b2 = Vector512.FusedMultiplyAdd(s, v, b2);
            s = Vector512.Create(w0[3 * c + k]);
            a3 = Vector512.FusedMultiplyAdd(s, u, a3); b3 = Vector512.FusedMultiplyAdd(s, v, b3);
            s = Vector512.Create(w4[k]);
            a4 = Vector512.FusedMultiplyAdd(s, u, a4); b4 = Vector512.FusedMultiplyAdd(s, v, b4);
            s = Vector512.Create(w4[c + k]);
            a5 = Vector512.FusedMultiplyAdd(s, u, a5); b5 = Vector512.FusedMultiplyAdd(s, v, b5);
            s = Vector512.Create(w4[2 * c + k]);
            a6 = Vector512.FusedMultiplyAdd(s, u, a6); b6 = Vector512.FusedMultiplyAdd(s, v, b6);
            s = Vector512.Create(w4[3 * c + k]);
            a7 = Vector512.FusedMultiplyAdd(s, u, a7); b7 = Vector512.FusedMultiplyAdd(s, v, b7);
        }
        // Into the buffer first, all at once: a call while the sums are live would make the JIT keep
        // them on the stack through the loop.
        a0.Store(sums); a1.Store(sums + W); a2.Store(sums + 2 * W); a3.Store(sums + 3 * W);
        a4.Store(sums + 4 * W); a5.Store(sums + 5 * W); a6.Store(sums + 6 * W); a7.Store(sums + 7 * W);
        float* second = sums + BlockRows * W;
        b0.Store(second); b1.Store(second + W); b2.Store(second + 2 * W); b3.Store(second + 3 * W);
        b4.Store(second + 4 * W); b5.Store(second + 5 * W); b6.Store(second + 6 * W); b7.Store(second + 7 * W);
    }

    /// <summary>Sixteen rows against the odd tile of a group: sixteen sums, as many as two tiles keep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SixteenRowsOneTile(float* w0, int cols, float* x, float* sums)
    {
        long c = cols;
        float* w4 = w0 + 4 * c, w8 = w0 + 8 * c, w12 = w0 + 12 * c;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        Vector512<float> a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        for (int k = 0; k < cols; k++)
        {
            var u = Vector512.Load(x + (long)k * W);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[k]), u, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[c + k]), u, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[2 * c + k]), u, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[3 * c + k]), u, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[k]), u, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[c + k]), u, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[2 * c + k]), u, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[3 * c + k]), u, a7);
            a8 = Vector512.FusedMultiplyAdd(Vector512.Create(w8[k]), u, a8);
            a9 = Vector512.FusedMultiplyAdd(Vector512.Create(w8[c + k]), u, a9);
            a10 = Vector512.FusedMultiplyAdd(Vector512.Create(w8[2 * c + k]), u, a10);
            a11 = Vector512.FusedMultiplyAdd(Vector512.Create(w8[3 * c + k]), u, a11);
            a12 = Vector512.FusedMultiplyAdd(Vector512.Create(w12[k]), u, a12);
            a13 = Vector512.FusedMultiplyAdd(Vector512.Create(w12[c + k]), u, a13);
            a14 = Vector512.FusedMultiplyAdd(Vector512.Create(w12[2 * c + k]), u, a14);
            a15 = Vector512.FusedMultiplyAdd(Vector512.Create(w12[3 * c + k]), u, a15);
        }
        a0.Store(sums); a1.Store(sums + W); a2.Store(sums + 2 * W); a3.Store(sums + 3 * W);
        a4.Store(sums + 4 * W); a5.Store(sums + 5 * W); a6.Store(sums + 6 * W); a7.Store(sums + 7 * W);
        float* second = sums + BlockRows * W;
        a8.Store(second); a9.Store(second + W); a10.Store(second + 2 * W); a11.Store(second + 3 * W);
        a12.Store(second + 4 * W); a13.Store(second + 5 * W); a14.Store(second + 6 * W); a15.Store(second + 7 * W);
    }

    /// <summary>Eight rows against the odd tile of a group, where fewer than sixteen rows are left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EightRowsOneTile(float* w0, int cols, float* x, float* sums)
    {
        long c = cols;
        float* w4 = w0 + 4 * c;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < cols; k++)
        {
            var u = Vector512.Load(x + (long)k * W);
            a0 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[k]), u, a0);
            a1 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[c + k]), u, a1);
            a2 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[2 * c + k]), u, a2);
            a3 = Vector512.FusedMultiplyAdd(Vector512.Create(w0[3 * c + k]), u, a3);
            a4 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[k]), u, a4);
            a5 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[c + k]), u, a5);
            a6 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[2 * c + k]), u, a6);
            a7 = Vector512.FusedMultiplyAdd(Vector512.Create(w4[3 * c + k]), u, a7);
        }
        a0.Store(sums); a1.Store(sums + W); a2.Store(sums + 2 * W); a3.Store(sums + 3 * W);
        a4.Store(sums + 4 * W); a5.Store(sums + 5 * W); a6.Store(sums + 6 * W); a7.Store(sums + 7 * W);
    }

    /// <summary>One row against one tile: the rows after the last whole block.</summary>
    private static void One(float* w, int cols, float* x, float* sums, in MatMulArguments a, int firstToken, int row, int tokens)
    {
        OneRowOneTile(w, cols, x).Store(sums);
        Scatter(sums, 1, a, firstToken, row, tokens);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<float> OneRowOneTile(float* w, int cols, float* x)
    {
        Vector512<float> s0 = default, s1 = default;
        int k = 0;
        for (; k + 2 <= cols; k += 2)
        {
            s0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[k]), Vector512.Load(x + (long)k * W), s0);
            s1 = Vector512.FusedMultiplyAdd(Vector512.Create(w[k + 1]), Vector512.Load(x + (long)(k + 1) * W), s1);
        }
        if (k < cols) s0 = Vector512.FusedMultiplyAdd(Vector512.Create(w[k]), Vector512.Load(x + (long)k * W), s0);
        return s0 + s1;
    }

    /// <summary>Writes rows' sums (<see cref="W"/> tokens each, one row after the other) into y from <paramref name="row"/> on, skipping the padding.</summary>
    private static void Scatter(float* sums, int rows, in MatMulArguments a, int firstToken, int row, int tokens)
    {
        int count = Math.Min(W, tokens - firstToken);
        float* y = a.Output + (long)firstToken * a.Rows + row;
        if (rows == BlockRows && Avx2.IsSupported)
        {
            // Token j's eight sums lie W apart: one gather, one store into its row of y.
            var across = Vector256.Create(0, W, 2 * W, 3 * W, 4 * W, 5 * W, 6 * W, 7 * W);
            for (int j = 0; j < count; j++)
                Avx2.GatherVector256(sums + j, across, sizeof(float)).Store(y + (long)j * a.Rows);
            return;
        }
        for (int j = 0; j < count; j++)
            for (int r = 0; r < rows; r++)
                y[(long)j * a.Rows + r] = sums[r * W + j];
    }
}
