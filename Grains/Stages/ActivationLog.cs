namespace Cluster.Grains.Stages;

/// <summary>
/// The activations one stage sent on for one sequence, as rows of positions 0, 1, … in host
/// memory. When the next stage's silo dies, its replacement gets these rows again instead of every
/// stage before it recomputing them (the rows are the only input a lost stage cannot get from its
/// own pages). Rows live in blocks, so a long sequence never needs one large array.
/// </summary>
internal sealed class ActivationLog(int rowBytes)
{
    public const int BlockRows = 64;

    private readonly List<byte[]> _blocks = [];

    public int RowBytes => rowBytes;

    /// <summary>Positions logged: rows [0, Rows).</summary>
    public int Rows { get; private set; }

    public long Bytes => (long)_blocks.Count * BlockBytes;

    public long BlockBytes => (long)BlockRows * rowBytes;

    /// <summary>
    /// Appends the rows of <paramref name="rows"/> (positions [firstRow, …)) that extend the log,
    /// so it stays contiguous from position 0, growing to at most <paramref name="maxRows"/> rows.
    /// Rows it holds already (a replay computed them again) and rows after a gap are skipped.
    /// </summary>
    /// <returns>Bytes of newly allocated blocks.</returns>
    public long Append(int firstRow, ReadOnlySpan<byte> rows, int maxRows)
    {
        if (rows.Length % rowBytes != 0)
            throw new ArgumentException($"activations of {rows.Length} bytes are not whole rows of {rowBytes} bytes");
        int end = firstRow + rows.Length / rowBytes;
        if (firstRow > Rows) return 0;
        long before = Bytes;
        int stop = Math.Min(end, maxRows);
        for (int position = Rows; position < stop; position++)
        {
            int block = position / BlockRows;
            if (block == _blocks.Count) _blocks.Add(new byte[BlockBytes]);
            rows.Slice((position - firstRow) * rowBytes, rowBytes).CopyTo(_blocks[block].AsSpan(position % BlockRows * rowBytes));
        }
        Rows = Math.Max(Rows, stop);
        return Bytes - before;
    }

    /// <summary>Rows of positions [from, to), contiguous.</summary>
    public byte[] Read(int from, int to)
    {
        if (from < 0 || to > Rows || from > to)
            throw new ArgumentOutOfRangeException(nameof(from), $"rows [{from}, {to}) are not in the activation log, which holds [0, {Rows})");
        var result = new byte[(long)(to - from) * rowBytes];
        for (int position = from; position < to; position++)
            _blocks[position / BlockRows].AsSpan(position % BlockRows * rowBytes, rowBytes).CopyTo(result.AsSpan((position - from) * rowBytes));
        return result;
    }
}
