using Cluster.Engine.Memory;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Weights;

/// <summary>
/// One CPU buffer in 2 MiB pages (<see cref="HugePages"/>) that a stage's matrices are moved into,
/// one after another in the order a decode pass reads them: each placed matrix becomes a view of
/// the buffer and its own memory is released, so packing costs one matrix of extra memory at a
/// time. The buffer lives as long as any view of it.
/// </summary>
public sealed class WeightArena : IDisposable
{
    /// <summary>Each matrix starts on a cache line.</summary>
    private const int AlignmentBytes = 64;

    private readonly Tensor _buffer;
    private readonly long _alignment;
    private long _used;

    /// <param name="matrices">what will be placed (all of one dtype), to size the buffer.</param>
    public WeightArena(IReadOnlyCollection<Tensor> matrices)
    {
        if (matrices.Count == 0) throw new ArgumentException("no matrices to place", nameof(matrices));
        Dtype = matrices.First().dtype;
        _alignment = AlignmentBytes / Dtype.ElementSize();
        _buffer = HugePages.Allocate(matrices.Sum(m => Padded(m.NumberOfElements)), Dtype, out bool advised);
        InHugePages = advised;
    }

    public ScalarType Dtype { get; }

    /// <summary>Whether the kernel accepted the request for 2 MiB pages.</summary>
    public bool InHugePages { get; }

    /// <summary>Copies <paramref name="source"/> into the next free part of the buffer, disposes it, and returns the copy.</summary>
    public Tensor Place(Tensor source)
    {
        if (source.dtype != Dtype || source.device_type != DeviceType.CPU)
            throw new ArgumentException($"the arena holds {Dtype} on the CPU; got {source.dtype} on {source.device}");
        long elements = source.NumberOfElements;
        if (_used + elements > _buffer.NumberOfElements)
            throw new InvalidOperationException($"the arena of {_buffer.NumberOfElements} elements has no room for {elements} more after {_used}");
        var placed = _buffer.narrow(0, _used, elements).view(source.shape);
        placed.copy_(source);
        source.Dispose();
        _used += Padded(elements);
        return placed;
    }

    private long Padded(long elements) => (elements + _alignment - 1) / _alignment * _alignment;

    public void Dispose() => _buffer.Dispose();
}
