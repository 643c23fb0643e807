namespace Cluster.Engine.Kernels;

/// <summary>
/// One matrix product cut into chunks of weight rows. Many input rows are
/// first packed as <see cref="TokenTiles"/> for <see cref="TiledDotProducts"/>; a few are read in
/// place by <see cref="RowDotProducts"/>. bfloat16 weights against one to three input rows go to
/// <see cref="BFloat16RowDotProducts"/>, against more to the same float32 kernels block by block
/// (<see cref="WidenedRows"/>).
/// </summary>
internal sealed unsafe class MatMulWork : IChunkedWork
{
    [ThreadStatic] private static MatMulWork? _perThread;

    /// <summary>Chunks of rows are cut in multiples of it: two of the tiled kernel's eight-row blocks.</summary>
    public const int ChunkRowMultiple = 16;

    private readonly TokenTiles _tiles = new();
    private readonly PairedInputs _paired = new();
    private readonly WidenedRows.ProductOverRows _tiledProduct, _rowProduct;
    private MatMulArguments _arguments;
    private int[] _chunkStarts = new int[64]; // chunk c covers rows [_chunkStarts[c], _chunkStarts[c + 1])
    private bool _tiled;
    private bool _pairedBFloat16;

    private MatMulWork()
    {
        _tiledProduct = (in MatMulArguments a, int first, int end) => TiledDotProducts.Run(a, _tiles, first, end);
        _rowProduct = RowDotProducts.Run;
    }

    /// <summary>The calling thread's instance: one product at a time per thread, no allocation per call.</summary>
    public static MatMulWork ForThisThread() => _perThread ??= new MatMulWork();

    /// <summary>Takes the operands and returns the number of chunks.</summary>
    public int Prepare(in MatMulArguments arguments, int threads)
    {
        if ((arguments.Weights == null) == (arguments.BFloat16Weights == null))
            throw new ArgumentException("a product takes either float32 or bfloat16 weights", nameof(arguments));
        _arguments = arguments;
        _tiled = arguments.Tokens >= TiledDotProducts.MinTokens;
        _pairedBFloat16 = arguments.BFloat16Weights != null && arguments.Tokens <= BFloat16RowDotProducts.MaxTokens;
        if (_tiled) _tiles.Pack(arguments.Input, arguments.Tokens, arguments.Columns);
        if (_pairedBFloat16) _paired.Pack(arguments.Input, arguments.Tokens, arguments.Columns);
        bool streaming = arguments.Tokens < StreamingTokens;
        return CutChunks(arguments.Rows, threads, streaming ? StreamedShare : 0);
    }

    /// <summary>
    /// Chunks of at most an eighth of a thread's share of the rows (so a VM-slowed core is balanced
    /// by the others, and a chunk's weights stay in L2 while tiles of inputs pass over them), and,
    /// towards the end, of a share of the rows still unclaimed, 1 / (2 · threads), down to one block
    /// of <see cref="ChunkRowMultiple"/> rows (guided scheduling). The last chunks being small, a
    /// thread that finishes early waits little for the others: with even chunks the caller waited
    /// 0.4–0.6 ms of a 10 ms single-sequence decode pass for the other thread, with these about half.
    /// </summary>
    /// <param name="leadingShare">
    /// Part of the rows first cut into one contiguous chunk per thread (its first chunk, claimed
    /// as the threads start), the rest into guided chunks as above.
    /// </param>
    private int CutChunks(int rows, int threads, double leadingShare)
    {
        int largest = RoundUp((rows + threads * 8 - 1) / (threads * 8));
        int chunks = 0, start = 0;
        int leading = leadingShare > 0 && threads > 1 ? RoundUp((int)(rows * leadingShare / threads)) : 0;
        if (leading > largest && threads * leading < rows)
        {
            if (threads + 2 > _chunkStarts.Length) Array.Resize(ref _chunkStarts, threads + 2);
            for (; chunks < threads; chunks++, start += leading) _chunkStarts[chunks] = start;
        }
        for (; start < rows; chunks++)
        {
            if (chunks + 2 > _chunkStarts.Length) Array.Resize(ref _chunkStarts, _chunkStarts.Length * 2);
            _chunkStarts[chunks] = start;
            start = Math.Min(rows, start + Math.Min(largest, RoundUp((rows - start) / (2 * threads))));
        }
        _chunkStarts[chunks] = rows;
        return chunks;
    }

    /// <summary>
    /// Products of fewer input rows than this stream their weights (one to three sequences'
    /// decode; <see cref="RowDotProducts"/> reads rows one after another).
    /// </summary>
    private const int StreamingTokens = 4;

    /// <summary>
    /// Part of a streamed product's rows read as one contiguous run per thread before the guided
    /// chunks. Long runs stream faster than chunks of the guided size: over a decode pass's 49
    /// matrices, alternated 16 times in one process, 50.6 and 51.2 against 49.4 GB/s, faster in 12
    /// and 14 of the 16 rounds; with half the rows in runs, 47.7; with 87.5 or 95 %, as with 75 %
    /// (docs/benchmarks.md). A quarter is left to balance a thread that the VM slows.
    /// </summary>
    private const double StreamedShare = 0.75;

    /// <summary>Whole blocks of <see cref="ChunkRowMultiple"/> rows, at least one.</summary>
    private static int RoundUp(int rows) => Math.Max(ChunkRowMultiple, (rows + ChunkRowMultiple - 1) / ChunkRowMultiple * ChunkRowMultiple);

    public void RunChunk(int chunk)
    {
        int first = _chunkStarts[chunk], end = _chunkStarts[chunk + 1];
        if (_pairedBFloat16) BFloat16RowDotProducts.Run(_arguments, _paired, first, end);
        else if (_arguments.BFloat16Weights != null) WidenedRows.Run(_arguments, first, end, _tiled ? _tiledProduct : _rowProduct);
        else if (_tiled) TiledDotProducts.Run(_arguments, _tiles, first, end);
        else RowDotProducts.Run(_arguments, first, end);
    }
}
