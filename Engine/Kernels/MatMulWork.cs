namespace Cluster.Engine.Kernels;

/// <summary>
/// One matrix product cut into chunks of weight rows. Many input rows are
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
    private int[] _chunkStarts = new int[64]; // chunk c covers rows [_chunkStarts[c], _chunkStarts[c + 1])
    private bool _tiled;

    /// <summary>The calling thread's instance: one product at a time per thread, no allocation per call.</summary>
    public static MatMulWork ForThisThread() => _perThread ??= new MatMulWork();

    /// <summary>Takes the operands and returns the number of chunks.</summary>
    public unsafe int Prepare(in MatMulArguments arguments, int threads)
    {
        _arguments = arguments;
        _tiled = arguments.Tokens >= TiledDotProducts.MinTokens;
        if (_tiled) _tiles.Pack(arguments.Input, arguments.Tokens, arguments.Columns);
        return CutChunks(arguments.Rows, threads);
    }

    /// <summary>
    /// Chunks of at most an eighth of a thread's share of the rows (so a VM-slowed core is balanced
    /// by the others, and a chunk's weights stay in L2 while tiles of inputs pass over them), and,
    /// towards the end, of a share of the rows still unclaimed, 1 / (2 · threads), down to one block
    /// of <see cref="ChunkRowMultiple"/> rows (guided scheduling). The last chunks being small, a
    /// thread that finishes early waits little for the others: with even chunks the caller waited
    /// 0.4–0.6 ms of a 10 ms single-sequence decode pass for the other thread, with these about half.
    /// </summary>
    private int CutChunks(int rows, int threads)
    {
        int largest = RoundUp((rows + threads * 8 - 1) / (threads * 8));
        int chunks = 0;
        for (int start = 0; start < rows; chunks++)
        {
            if (chunks + 2 > _chunkStarts.Length) Array.Resize(ref _chunkStarts, _chunkStarts.Length * 2);
            _chunkStarts[chunks] = start;
            start = Math.Min(rows, start + Math.Min(largest, RoundUp((rows - start) / (2 * threads))));
        }
        _chunkStarts[chunks] = rows;
        return chunks;
    }

    /// <summary>Whole blocks of <see cref="ChunkRowMultiple"/> rows, at least one.</summary>
    private static int RoundUp(int rows) => Math.Max(ChunkRowMultiple, (rows + ChunkRowMultiple - 1) / ChunkRowMultiple * ChunkRowMultiple);

    public void RunChunk(int chunk)
    {
        int first = _chunkStarts[chunk], end = _chunkStarts[chunk + 1];
        if (_tiled) TiledDotProducts.Run(_arguments, _tiles, first, end);
        else RowDotProducts.Run(_arguments, first, end);
    }
}
