namespace Cluster.Engine.Kernels;

/// <summary>One matrix product cut into blocks of weight rows, one block per chunk.</summary>
internal sealed class MatMulWork : IChunkedWork
{
    [ThreadStatic] private static MatMulWork? _perThread;

    private MatMulArguments _arguments;
    private int _rowsPerChunk;

    /// <summary>The calling thread's instance: one product at a time per thread, no allocation per call.</summary>
    public static MatMulWork ForThisThread() => _perThread ??= new MatMulWork();

    /// <summary>Takes the operands and returns the number of chunks.</summary>
    public int Prepare(in MatMulArguments arguments, int threads)
    {
        _arguments = arguments;
        // About eight chunks per thread balance a core that the VM or another process slows down,
        // in blocks of four rows (the kernel's width) and never so small that claiming dominates.
        int perChunk = (arguments.Rows + threads * 8 - 1) / (threads * 8);
        _rowsPerChunk = Math.Max(16, (perChunk + 3) & ~3);
        return (arguments.Rows + _rowsPerChunk - 1) / _rowsPerChunk;
    }

    public void RunChunk(int chunk)
    {
        int first = chunk * _rowsPerChunk;
        RowDotProducts.Run(_arguments, first, Math.Min(_arguments.Rows, first + _rowsPerChunk));
    }
}
