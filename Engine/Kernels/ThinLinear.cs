using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y = x·wᵀ + b for a few rows of x on the CPU: the matrix products of decode. With one token per
/// sequence a product reads every weight once and does two flops per weight, so it runs at the
/// speed memory streams the matrix. libtorch's general GEMM reaches about a third of this
/// machine's read bandwidth on such shapes; <see cref="RowDotProducts"/> on <see cref="KernelThreads"/>
/// reaches most of it. Wider inputs (prefill, large decode batches) are compute-bound and stay
/// with libtorch.
/// </summary>
public static unsafe class ThinLinear
{
    /// <summary>Rows of x up to which the thin kernel is used (beyond, libtorch's GEMM is faster).</summary>
    public const int MaxTokens = 4;

    public static bool Applies(Tensor x, Tensor weight) =>
        CpuKernels.Enabled
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dim() == 2 && x.shape[0] <= MaxTokens && weight.dim() == 2 && x.shape[1] == weight.shape[1]
        && weight.dtype is ScalarType.Float32 or ScalarType.BFloat16 && x.dtype == weight.dtype
        && weight.is_contiguous() && weight.shape[0] <= int.MaxValue && weight.shape[1] <= int.MaxValue;

    /// <summary>Runs y = x·wᵀ on raw operands across <see cref="KernelThreads.Shared"/>.</summary>
    internal static void Multiply(in ThinProductArguments arguments, bool bfloat16Weights)
    {
        var threads = KernelThreads.Shared;
        var work = ThinProductWork.ForThisThread();
        threads.Run(work, work.Prepare(arguments, bfloat16Weights, threads.ThreadCount));
    }

    /// <summary>x (T, in) · weight (out, in)ᵀ + bias (out) → (T, out), in x's dtype.</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Applies(x, weight))
            throw new ArgumentException($"thin linear needs a CPU float32/bfloat16 input of at most {MaxTokens} rows matching a contiguous weight; got {x.dtype} {string.Join('x', x.shape)} and {weight.dtype} {string.Join('x', weight.shape)}");
        using var scope = NewDisposeScope();
        var input = x.to(ScalarType.Float32).contiguous(); // the same tensor when x already is
        var output = torch.empty(x.shape[0], weight.shape[0], ScalarType.Float32);
        var arguments = new ThinProductArguments
        {
            Weights = (byte*)TensorMemory.Pointer(weight),
            Input = (float*)TensorMemory.Pointer(input),
            Output = (float*)TensorMemory.Pointer(output),
            Rows = (int)weight.shape[0],
            Columns = (int)weight.shape[1],
            Tokens = (int)x.shape[0],
        };
        Multiply(arguments, weight.dtype == ScalarType.BFloat16);
        if (bias is not null) output.add_(bias);
        var result = x.dtype == ScalarType.Float32 ? output : output.to(x.dtype);
        return result.MoveToOuterDisposeScope();
    }
}
