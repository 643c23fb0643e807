namespace Cluster.Engine.Kernels;

/// <summary>
/// Blocks of bfloat16 weight rows widened to float32 in a buffer of the calling thread, so that a
/// product of four input rows and more runs the float32 kernels (<see cref="RowDotProducts"/>,
/// <see cref="TiledDotProducts"/>) over them: those read every weight many times, once per input
/// row or tile, and widening a block once, while it stays in L2, costs a small part of that.
/// </summary>
internal static unsafe class WidenedRows
{
    /// <summary>A block's float32 rows fit in this many bytes, well inside L2 beside the input tiles.</summary>
    private const int BlockBytes = 128 * 1024;

    [ThreadStatic] private static float[]? _buffer;

    /// <summary>Rows [firstRow, endRow) of <paramref name="a"/>'s bfloat16 weights, block by block, through <paramref name="product"/>.</summary>
    public static void Run(in MatMulArguments a, int firstRow, int endRow, ProductOverRows product)
    {
        int cols = a.Columns;
        int blockRows = Math.Max(MatMulWork.ChunkRowMultiple, BlockBytes / (cols * sizeof(float)) / MatMulWork.ChunkRowMultiple * MatMulWork.ChunkRowMultiple);
        _buffer ??= [];
        float* widened = AlignedBuffer.Reserve(ref _buffer, (long)blockRows * cols);
        for (int start = firstRow; start < endRow; start += blockRows)
        {
            int end = Math.Min(endRow, start + blockRows);
            BFloat16Ops.Widen(a.BFloat16Weights + (long)start * cols, widened, (long)(end - start) * cols);
            // Row r of the block sits at widened + (r − start)·cols, so the float32 kernels index it as a whole matrix.
            product(a with { Weights = widened - (long)start * cols, BFloat16Weights = null }, start, end);
        }
    }

    public delegate void ProductOverRows(in MatMulArguments a, int firstRow, int endRow);
}
