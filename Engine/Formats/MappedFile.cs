using System.IO.MemoryMappedFiles;

namespace Cluster.Engine.Formats;

/// <summary>
/// A read-only memory map of a whole file: weights are read in place, so a stage that loads a
/// quarter of the layers touches only a quarter of the pages.
/// </summary>
public sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private long _bytesRead;

    public MappedFile(string path)
    {
        Path = path;
        if (!System.IO.File.Exists(path))
            throw new ModelFormatException(path, "file not found");
        Length = new FileInfo(path).Length;
        if (Length == 0)
            throw new ModelFormatException(path, "file is empty");
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>
    /// Bytes handed out by <see cref="Span"/> and <see cref="Pointer"/> since open: what callers
    /// asked to read, so tests can check that a stage reads only its share of the file.
    /// </summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>The bytes [offset, offset + length), checked against the file's end.</summary>
    public ReadOnlySpan<byte> Span(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ModelFormatException(Path, $"truncated: needs bytes [{offset}, {offset + length}) but the file has {Length}");
        if (length > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(length), "a single span is limited to 2 GiB; read in parts");
        Interlocked.Add(ref _bytesRead, length);
        return new ReadOnlySpan<byte>(_base + offset, (int)length);
    }

    /// <summary>A raw pointer into the map, for bulk copies larger than a span allows.</summary>
    public IntPtr Pointer(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ModelFormatException(Path, $"truncated: needs bytes [{offset}, {offset + length}) but the file has {Length}");
        Interlocked.Add(ref _bytesRead, length);
        return (IntPtr)(_base + offset);
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
