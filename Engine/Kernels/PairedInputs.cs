using System.Runtime.CompilerServices;

namespace Cluster.Engine.Kernels;

/// <summary>
/// Input rows laid out for <see cref="BFloat16RowDotProducts"/>: within each block of sixteen
/// columns, the eight even columns first, then the eight odd ones, matching which weight of a
/// 32-bit lane is the even one. Columns after the last whole block are not copied (the kernel reads
/// them from the input as given). The buffer is kept and grown, aligned to a cache line.
/// </summary>
internal sealed unsafe class PairedInputs
{
    private float[] _buffer = [];
    private float* _aligned;
    private int _columns;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(float* input, int tokens, int columns)
    {
        _aligned = AlignedBuffer.Reserve(ref _buffer, (long)tokens * columns);
        _columns = columns;
        int blocksEnd = columns / 16 * 16;
        for (int t = 0; t < tokens; t++)
        {
            float* x = input + (long)t * columns, paired = _aligned + (long)t * columns;
            for (int block = 0; block < blocksEnd; block += 16)
            {
                for (int j = 0; j < 8; j++)
                {
                    paired[block + j] = x[block + 2 * j];
                    paired[block + 8 + j] = x[block + 2 * j + 1];
                }
            }
        }
    }

    public float* Row(int token) => _aligned + (long)token * _columns;
}
