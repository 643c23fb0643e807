using System.Runtime.InteropServices;
using TorchSharp;

namespace Cluster.Engine.Kernels;

/// <summary>Raw addresses of CPU tensors, for kernels written in C# and for bulk copies.</summary>
internal static class TensorMemory
{
    /// <summary>The address of the tensor's first element (its storage offset applied).</summary>
    public static IntPtr Pointer(torch.Tensor tensor) => THSTensor_data(tensor.Handle);

    // TorchSharp exposes no raw data pointer; its native library exports this one.
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
