namespace Cluster.Engine.Kernels;

/// <summary>One thin matrix product cut into blocks of weight rows, one block per chunk.</summary>
internal sealed class ThinProductWork : IChunkedWork
{
    [ThreadStatic] private static ThinProductWork? _perThread;

    private ThinProductArguments _arguments;
    private int _rowsPerChunk;
    private bool _bfloat16;

    /// <summary>The calling thread's instance: one product at a time per thread, no allocation per call.</summary>
    public static ThinProductWork ForThisThread() => _perThread ??= new ThinProductWork();

    public int Prepare(in ThinProductArguments arguments, bool bfloat16, int threads)
    {
        _arguments = arguments;
        _bfloat16 = bfloat16;
        // About eight chunks per thread balance a core that the VM or another process slows down,
        // in blocks of four rows (the kernel's width) and never so small that claiming dominates.
        int perChunk = (arguments.Rows + threads * 8 - 1) / (threads * 8);
        _rowsPerChunk = Math.Max(16, (perChunk + 3) & ~3);
        return (arguments.Rows + _rowsPerChunk - 1) / _rowsPerChunk;
    }

    public void RunChunk(int chunk)
    {
        int first = chunk * _rowsPerChunk;
        int end = Math.Min(_arguments.Rows, first + _rowsPerChunk);
        if (_bfloat16) RowDotProducts.Run<BFloat16Elements>(_arguments, first, end);
        else RowDotProducts.Run<Float32Elements>(_arguments, first, end);
    }
}
