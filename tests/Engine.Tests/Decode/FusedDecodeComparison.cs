using System.Runtime.InteropServices;
using Cluster.Engine.Execution;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using Cluster.Engine.Tests.Support;
using Cluster.Engine.Weights;
using static TorchSharp.torch;

namespace Cluster.Engine.Tests.Decode;

/// <summary>
/// One stage started side by side: with the engine's kernels (<see cref="Fused"/>) and without
/// (<see cref="Reference"/>, libtorch's operators); for bfloat16 also <see cref="Exact"/>, a
/// float32 stage over the same bfloat16 values, that both are measured against. Every batch runs
/// on each, so K/V written by one path is read back by the same path's next step.
/// </summary>
internal sealed class FusedDecodeComparison : IDisposable
{
    private readonly ScalarType _dtype;

    private FusedDecodeComparison(StageExecutor fused, StageExecutor reference, StageExecutor? exact, ScalarType dtype)
    {
        (Fused, Reference, Exact, _dtype) = (fused, reference, exact, dtype);
    }

    public StageExecutor Fused { get; }
    public StageExecutor Reference { get; }
    public StageExecutor? Exact { get; }

    /// <summary>The bfloat16 errors of every batch run so far (none in float32).</summary>
    public BFloat16Precision Precision { get; } = new();

    public static async Task<FusedDecodeComparison> StartAsync(ICheckpoint checkpoint, LayerRange range, StageExecutorOptions options)
    {
        var fused = await StageExecutor.StartAsync(checkpoint, range, options);
        var reference = await StageExecutor.StartAsync(checkpoint, range, options);
        var exact = options.Dtype == ScalarType.BFloat16
            ? await StageExecutor.StartAsync(new BFloat16RoundedCheckpoint(checkpoint), range, options with { Dtype = ScalarType.Float32 })
            : null;
        return new FusedDecodeComparison(fused, reference, exact, options.Dtype);
    }

    /// <summary>Runs the batch with the engine's kernels on <see cref="Fused"/>, then without on the others.</summary>
    public async Task<ComparedOutputs> RunAsync(StageWork[] batch)
    {
        try
        {
            CpuKernels.Enabled = true;
            var fused = await Fused.RunAsync(batch);
            CpuKernels.Enabled = false;
            var reference = await Reference.RunAsync(batch);
            var exact = Exact is null ? null : await Exact.RunAsync(batch.Select(InFloat32).ToArray());
            return new ComparedOutputs(Values(fused, _dtype), Values(reference, _dtype), exact is null ? null : Values(exact, ScalarType.Float32), Precision);
        }
        finally
        {
            CpuKernels.Enabled = true;
        }
    }

    /// <summary>The work with its bfloat16 hidden states as float32 (the same values).</summary>
    private static StageWork InFloat32(StageWork work) => work.Hidden is null ? work : work with
    {
        Hidden = MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, ushort>(work.Hidden).ToArray().Select(BFloat16Ops.ToSingle).ToArray().AsSpan()).ToArray(),
    };

    private static float[][] Values(IReadOnlyList<StageResult> results, ScalarType dtype) => results.Select(result => result.Logits
        ?? (dtype == ScalarType.BFloat16
            ? MemoryMarshal.Cast<byte, ushort>(result.Hidden!).ToArray().Select(BFloat16Ops.ToSingle).ToArray()
            : MemoryMarshal.Cast<byte, float>(result.Hidden!).ToArray())).ToArray();

    public void Dispose()
    {
        Fused.Dispose();
        Reference.Dispose();
        Exact?.Dispose();
    }
}
