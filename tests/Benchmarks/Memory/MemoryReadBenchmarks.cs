using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Cluster.Engine.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Benchmarks.Memory;

/// <summary>
/// How fast the machine streams 1 GiB into registers (buffers allocated and filled once): libtorch's own reduction (the one
/// <c>engine-bench</c> takes its bandwidth bound from) against plain sums on the engine's
/// <see cref="KernelThreads"/> in 256-bit and in 512-bit loads. Which load width streams faster
/// decides how the engine's matrix-vector kernel reads its weights (docs/benchmarks.md).
/// </summary>
public unsafe class MemoryReadBenchmarks
{
    private const long Floats = 256L << 20; // 1 GiB, a multiple of every vector width

    private Tensor _buffer = null!;
    private float* _native;
    private SumWork _work = null!;

    [GlobalSetup]
    public void Setup()
    {
        _buffer = torch.ones(Floats, ScalarType.Float32);
        // The engine's sums read a buffer of their own: TorchSharp gives no tensor's address.
        _native = (float*)NativeMemory.AlignedAlloc((nuint)(Floats * sizeof(float)), 64);
        new Span<float>(_native, (int)Floats).Fill(1f);
        _work = new SumWork(_native, Floats, KernelThreads.Shared.ThreadCount * 8);
    }

    [Benchmark(Baseline = true)]
    public float Libtorch()
    {
        using var sum = _buffer.sum();
        return sum.item<float>();
    }

    [Benchmark]
    public float Loads256() => _work.Run(wide: false);

    [Benchmark]
    public float Loads512() => _work.Run(wide: true);

    [GlobalCleanup]
    public void Cleanup()
    {
        _buffer.Dispose();
        NativeMemory.AlignedFree(_native);
    }

    /// <summary>A sum of the buffer in equal chunks, four vector sums in flight per thread.</summary>
    private sealed class SumWork(float* data, long length, int chunks) : IChunkedWork
    {
        private readonly float[] _sums = new float[chunks];
        private bool _wide;

        public float Run(bool wide)
        {
            _wide = wide;
            KernelThreads.Shared.Run(this, chunks);
            return _sums.Sum();
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunChunk(int chunk)
        {
            long per = length / chunks / 64 * 64, first = chunk * per, end = chunk == chunks - 1 ? length : first + per;
            if (_wide)
            {
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (long k = first; k < end; k += 64)
                {
                    s0 += Vector512.Load(data + k); s1 += Vector512.Load(data + k + 16);
                    s2 += Vector512.Load(data + k + 32); s3 += Vector512.Load(data + k + 48);
                }
                _sums[chunk] = Vector512.Sum((s0 + s1) + (s2 + s3));
            }
            else
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (long k = first; k < end; k += 32)
                {
                    s0 += Vector256.Load(data + k); s1 += Vector256.Load(data + k + 8);
                    s2 += Vector256.Load(data + k + 16); s3 += Vector256.Load(data + k + 24);
                }
                _sums[chunk] = Vector256.Sum((s0 + s1) + (s2 + s3));
            }
        }
    }
}
