using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Kernels;

/// <summary>
/// The address and shape of a contiguous CPU weight matrix (rows, columns) in float32 or bfloat16,
/// as the engine's products take it. The tensor must outlive every use of the address.
/// </summary>
internal readonly unsafe struct WeightMatrix
{
    private readonly void* _address;

    public WeightMatrix(Tensor matrix)
    {
        if (matrix.dtype is not (ScalarType.Float32 or ScalarType.BFloat16) || matrix.device_type != DeviceType.CPU || matrix.dim() != 2 || !matrix.is_contiguous())
            throw new ArgumentException($"a weight matrix for the CPU kernels is a contiguous 2-d float32 or bfloat16 CPU tensor; got {matrix.dtype} {string.Join('x', matrix.shape)} on {matrix.device}");
        _address = (void*)TensorMemory.Pointer(matrix);
        IsBFloat16 = matrix.dtype == ScalarType.BFloat16;
        Rows = (int)matrix.shape[0];
        Columns = (int)matrix.shape[1];
    }

    public bool IsBFloat16 { get; }
    public int Rows { get; }
    public int Columns { get; }

    /// <summary>Row <paramref name="row"/> widened to float32 into <paramref name="destination"/> (an embedding lookup).</summary>
    public void CopyRow(int row, float* destination)
    {
        if (IsBFloat16) BFloat16Ops.Widen((ushort*)_address + (long)row * Columns, destination, Columns);
        else Buffer.MemoryCopy((float*)_address + (long)row * Columns, destination, Columns * sizeof(float), Columns * sizeof(float));
    }

    /// <summary>y (tokens, rows) = x (tokens, columns) · thisᵀ across the kernel threads.</summary>
    public void Multiply(float* input, float* output, int tokens) =>
        CpuLinear.Multiply(new MatMulArguments
        {
            Weights = IsBFloat16 ? null : (float*)_address,
            BFloat16Weights = IsBFloat16 ? (ushort*)_address : null,
            Input = input,
            Output = output,
            Rows = Rows,
            Columns = Columns,
            Tokens = tokens,
        });
}
