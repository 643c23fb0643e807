using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Kernels;

/// <summary>
/// y = x·wᵀ + b on the CPU for a float32 x of up to <see cref="MaxRows"/> rows and a float32 or
/// bfloat16 w (read as float32, computed in float32): every product of
/// decode and of prefill chunks within the default token budget. With one token per sequence a
/// product reads every weight once for two flops, so it runs at the speed memory streams the
/// matrix; libtorch's float32 GEMM reaches under half of that here, and with more rows it keeps
/// to one core.
/// <see cref="RowDotProducts"/> (up to four rows of x) and <see cref="TiledDotProducts"/> (more)
/// on <see cref="KernelThreads"/> use every core at both ends (docs/benchmarks.md has the figures).
/// A bfloat16 model's own forward (bfloat16 activations) stays with libtorch, whose oneDNN kernels
/// use the CPU's bfloat16 dot-product instructions; its decode pass
/// (<see cref="Decode.FusedDecodePass"/>) keeps activations in float32 and streams the bfloat16
/// weights through these kernels.
/// </summary>
public static unsafe class CpuLinear
{
    /// <summary>
    /// Rows of x up to which the engine's kernel is used: measured faster than libtorch's at every
    /// size up to 2048, the default token budget of a pass.
    /// </summary>
    public const int MaxRows = 2048;

    public static bool Applies(Tensor x, Tensor weight) =>
        CpuKernels.Enabled
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && x.dtype == ScalarType.Float32 && weight.dtype is (ScalarType.Float32 or ScalarType.BFloat16)
        && x.dim() == 2 && weight.dim() == 2 && x.shape[0] <= MaxRows && x.shape[1] == weight.shape[1]
        && weight.is_contiguous() && weight.shape[0] <= int.MaxValue && weight.shape[1] <= int.MaxValue;

    /// <summary>x (T, in) · weight (out, in)ᵀ + bias (out) → (T, out).</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Applies(x, weight))
            throw new ArgumentException($"the CPU linear kernel needs a float32 CPU input of at most {MaxRows} rows matching a contiguous float32 or bfloat16 weight; " +
                                        $"got {x.dtype} {string.Join('x', x.shape)} and {weight.dtype} {string.Join('x', weight.shape)}");
        using var scope = NewDisposeScope();
        var input = x.contiguous(); // the same tensor when x already is
        var output = torch.empty(x.shape[0], weight.shape[0], ScalarType.Float32);
        new WeightMatrix(weight).Multiply((float*)TensorMemory.Pointer(input), (float*)TensorMemory.Pointer(output), (int)x.shape[0]);
        if (bias is not null)
        {
            using var one = 1.0.ToScalar(); // add_'s alpha, explicit and alive for the call (see Model/RmsNorm.cs)
            output.add_(bias, one);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Runs y = x·wᵀ on raw operands across <see cref="KernelThreads.Shared"/>.</summary>
    internal static void Multiply(in MatMulArguments arguments)
    {
        var threads = KernelThreads.Shared;
        var work = MatMulWork.ForThisThread();
        threads.Run(work, work.Prepare(arguments, threads.ThreadCount));
    }
}
