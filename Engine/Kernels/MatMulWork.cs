namespace Cluster.Engine.Kernels;

/// <summary>
/// One matrix product cut into blocks of weight rows, one block per chunk. Many input rows are
/// first packed as <see cref="TokenTiles"/> for <see cref="TiledDotProducts"/>; a few are read in
/// place by <see cref="RowDotProducts"/>.
/// </summary>
internal sealed class MatMulWork : IChunkedWork
{
    [ThreadStatic] private static MatMulWork? _perThread;

    /// <summary>Chunks of rows are cut in multiples of it: two of the tiled kernel's eight-row blocks.</summary>
    public const int ChunkRowMultiple = 16;

    private readonly TokenTiles _tiles = new();
    private MatMulArguments _arguments;
    private int _rowsPerChunk;
    private bool _tiled;

    /// <summary>The calling thread's instance: one product at a time per thread, no allocation per call.</summary>
    public static MatMulWork ForThisThread() => _perThread ??= new MatMulWork();

    /// <summary>Takes the operands and returns the number of chunks.</summary>
    public unsafe int Prepare(in MatMulArguments arguments, int threads)
    {
        _arguments = arguments;
        _tiled = arguments.Tokens >= TiledDotProducts.MinTokens;
        if (_tiled) _tiles.Pack(arguments.Input, arguments.Tokens, arguments.Columns);
        // About eight chunks per thread balance a core that the VM or another process slows down,
        // in whole blocks of the tiled kernel's rows, never so small that claiming dominates.
        int block = ChunkRowMultiple;
        int perChunk = (arguments.Rows + threads * 8 - 1) / (threads * 8);
        _rowsPerChunk = Math.Max(block, (perChunk + block - 1) / block * block);
        return (arguments.Rows + _rowsPerChunk - 1) / _rowsPerChunk;
    }

    public void RunChunk(int chunk)
    {
        int first = chunk * _rowsPerChunk, end = Math.Min(_arguments.Rows, first + _rowsPerChunk);
        if (_tiled) TiledDotProducts.Run(_arguments, _tiles, first, end);
        else RowDotProducts.Run(_arguments, first, end);
    }
}
