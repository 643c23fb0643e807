using System.Runtime.CompilerServices;

namespace Cluster.Engine.Kernels;

/// <summary>
/// The input rows of a product re-laid as tiles of <see cref="Width"/> tokens, column-major within
/// a tile: the values of one column for sixteen tokens lie side by side, so one vector load gives
/// them all and a weight is broadcast against them (<see cref="TiledDotProducts"/>). A tile's
/// missing tokens are zeros. The buffer is kept and grown, aligned to a cache line.
/// </summary>
internal sealed unsafe class TokenTiles
{
    /// <summary>Tokens per tile: one 512-bit vector of float32.</summary>
    public const int Width = 16;

    private float[] _buffer = [];
    private float* _aligned;

    /// <summary>Tile t starts at <c>Data + t · Width · Columns</c>; column k of it at <c>+ k · Width</c>.</summary>
    public float* Data => _aligned;

    public int Count { get; private set; }

    public int Tokens { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* input, int tokens, int columns)
    {
        Tokens = tokens;
        Count = (tokens + Width - 1) / Width;
        _aligned = AlignedBuffer.Reserve(ref _buffer, (long)Count * Width * columns);
        for (int tile = 0; tile < Count; tile++)
        {
            float* destination = _aligned + (long)tile * Width * columns;
            int first = tile * Width, present = Math.Min(Width, tokens - first);
            if (present < Width)
                new Span<float>(destination, Width * columns).Clear();
            for (int j = 0; j < present; j++)
            {
                float* source = input + (long)(first + j) * columns;
                float* column = destination + j;
                for (int k = 0; k < columns; k++) column[(long)k * Width] = source[k];
            }
        }
    }
}
