using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Kernels;
using Cluster.Engine.Weights.Quantization;
using TorchSharp;

namespace Cluster.Engine.Weights;

/// <summary>
/// Turns a stored tensor's bytes into a CPU tensor: plain float types are copied as they are
/// (the caller converts dtype), quantized types are expanded to float32 row by row straight into
/// the tensor's memory, so no managed array limits the size.
/// </summary>
internal static unsafe class TensorDecoder
{
    public static torch.Tensor Decode(StoredTensor stored)
    {
        if (PlainDtype(stored.Type) is { } dtype)
            return CopyPlain(stored, dtype);
        if (Dequantizer.Supports(stored.Type))
            return Dequantize(stored);
        throw new ModelFormatException(stored.File.Path, $"tensor '{stored.Name}' has type {stored.Type}, which cannot be loaded");
    }

    private static torch.ScalarType? PlainDtype(GgmlType type) => type switch
    {
        GgmlType.F32 => torch.ScalarType.Float32,
        GgmlType.F16 => torch.ScalarType.Float16,
        GgmlType.BF16 => torch.ScalarType.BFloat16,
        _ => null,
    };

    private static torch.Tensor CopyPlain(StoredTensor stored, torch.ScalarType dtype)
    {
        long bytes = stored.ByteCount;
        var source = stored.File.Pointer(stored.Offset, bytes);
        var tensor = torch.empty(stored.Shape, dtype, torch.CPU);
        Buffer.MemoryCopy((void*)source, (void*)DataPointer(tensor), bytes, bytes);
        return tensor;
    }

    private static torch.Tensor Dequantize(StoredTensor stored)
    {
        var (blockElements, blockBytes) = GgmlTypeSizes.Block(stored.Type);
        long rowElements = stored.Shape[^1];
        if (rowElements % blockElements != 0)
            throw new ModelFormatException(stored.File.Path,
                $"tensor '{stored.Name}' rows of {rowElements} are not whole {stored.Type} blocks of {blockElements}");
        long rows = stored.ElementCount / rowElements;
        long rowBytes = rowElements / blockElements * blockBytes;
        var tensor = torch.empty(stored.Shape, torch.ScalarType.Float32, torch.CPU);
        float* output = (float*)DataPointer(tensor);
        for (long r = 0; r < rows; r++)
        {
            var row = stored.File.Span(stored.Offset + r * rowBytes, rowBytes);
            Dequantizer.Dequantize(stored.Type, row, new Span<float>(output + r * rowElements, checked((int)rowElements)));
        }
        return tensor;
    }

    private static IntPtr DataPointer(torch.Tensor tensor) => TensorMemory.Pointer(tensor);
}
