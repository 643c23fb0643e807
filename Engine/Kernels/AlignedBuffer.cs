namespace Cluster.Engine.Kernels;

/// <summary>Pinned float32 buffers that kernels keep and grow, addressed from a cache-line boundary.</summary>
internal static unsafe class AlignedBuffer
{
    /// <summary>Grows <paramref name="buffer"/> to hold <paramref name="floats"/> from a 64-byte boundary and returns that address.</summary>
    public static float* Reserve(ref float[] buffer, long floats)
    {
        const int alignment = 64 / sizeof(float);
        // Pinned, so the aligned pointer into it stays valid for the buffer's life.
        if (buffer.Length < floats + alignment)
            buffer = GC.AllocateUninitializedArray<float>(checked((int)(floats + alignment)), pinned: true);
        fixed (float* start = buffer)
            return (float*)(((nint)start + 63) & ~(nint)63);
    }
}
