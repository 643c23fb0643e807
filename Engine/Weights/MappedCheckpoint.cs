using Cluster.Engine.Config;
using Cluster.Engine.Formats;
using TorchSharp;

namespace Cluster.Engine.Weights;

/// <summary>
/// What every memory-mapped checkpoint shares: a format finds a tensor's bytes
/// (<see cref="TryLocate"/>); this class checks the shape against the config, decodes, converts
/// the RoPE layout where the file keeps the interleaved one, and casts to the requested dtype.
/// </summary>
public abstract class MappedCheckpoint : ICheckpoint
{
    public abstract string Source { get; }

    public abstract ModelConfig Config { get; }

    /// <summary>Bytes read from the mapped files so far (headers included), for tests and metrics.</summary>
    public long BytesRead => Files.Sum(f => f.BytesRead);

    /// <summary>The mapped files this checkpoint reads from.</summary>
    protected abstract IEnumerable<MappedFile> Files { get; }

    /// <summary>Finds a tensor by HF name; false when the file does not hold it.</summary>
    protected abstract bool TryLocate(string name, out StoredTensor stored);

    public bool Contains(string name) => TryLocate(name, out _);

    public long[] Shape(string name) => Locate(name).Shape;

    public torch.Tensor Read(string name, torch.ScalarType dtype, torch.Device device)
    {
        var stored = Locate(name);
        var tensor = TensorDecoder.Decode(stored);
        try
        {
            if (stored.InterleavedRopeHeads > 0)
                tensor = Replace(tensor, RopeLayout.InterleavedToRotateHalf(tensor, stored.InterleavedRopeHeads));
            return Replace(tensor, tensor.to(dtype, device));
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Disposes an intermediate once its successor exists (unless a no-op returned the same object).</summary>
    private static torch.Tensor Replace(torch.Tensor old, torch.Tensor next)
    {
        if (!ReferenceEquals(old, next))
            old.Dispose();
        return next;
    }

    private StoredTensor Locate(string name)
    {
        if (!TryLocate(name, out var stored))
            throw new ModelFormatException(Source, $"tensor '{name}' is missing");
        var expected = ExpectedShapes.For(Config, name);
        if (expected is not null && !expected.SequenceEqual(stored.Shape))
            throw new ModelFormatException(stored.File.Path,
                $"tensor '{stored.Name}' (read as '{name}') has shape {ExpectedShapes.Format(stored.Shape)}, expected {ExpectedShapes.Format(expected)} for the config");
        return stored;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
