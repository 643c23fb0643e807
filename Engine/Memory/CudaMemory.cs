using System.Runtime.InteropServices;

namespace Cluster.Engine.Memory;

/// <summary>
/// Free memory of the current CUDA device, from the driver (<c>libcuda.so.1</c>, present wherever
/// the NVIDIA driver is; libtorch has already made the device's context current on the thread that
/// loaded the weights). TorchSharp has no <c>mem_get_info</c>.
/// </summary>
public static partial class CudaMemory
{
    /// <summary>Free bytes on the device whose context is current on this thread.</summary>
    public static long FreeBytes(string device)
    {
        int status;
        nuint free, total;
        try
        {
            status = MemGetInfo(out free, out total);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"cannot read the free memory of {device}: {e.Message}; give --kv-cache-mb or --page-count", e);
        }
        if (status != 0) throw new InvalidOperationException($"cannot read the free memory of {device}: cuMemGetInfo returned CUDA error {status}; give --kv-cache-mb or --page-count");
        return (long)free;
    }

    [LibraryImport("libcuda.so.1", EntryPoint = "cuMemGetInfo_v2")]
    private static partial int MemGetInfo(out nuint free, out nuint total);
}
