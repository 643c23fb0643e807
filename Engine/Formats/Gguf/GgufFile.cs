using System.Buffers.Binary;
using System.Text;

namespace Cluster.Engine.Formats.Gguf;

/// <summary>
/// A GGUF (v2 or v3) file: its metadata, its tensor directory and the memory-mapped data.
/// Every offset and length is checked at open, so a truncated or damaged file fails here with
/// the file name and what is wrong.
/// </summary>
public sealed class GgufFile : IDisposable
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const long DefaultAlignment = 32;
    private readonly Dictionary<string, GgufTensorInfo> _tensors;

    private GgufFile(MappedFile file, uint version, IReadOnlyDictionary<string, object> metadata,
        Dictionary<string, GgufTensorInfo> tensors, long dataOffset)
    {
        File = file;
        Version = version;
        Metadata = metadata;
        _tensors = tensors;
        DataOffset = dataOffset;
    }

    public MappedFile File { get; }

    public string Path => File.Path;

    public uint Version { get; }

    /// <summary>Metadata values: integers as long/ulong, floats as double, strings, bools, arrays as object[] or typed arrays.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get; }

    public IReadOnlyCollection<GgufTensorInfo> Tensors => _tensors.Values;

    public long DataOffset { get; }

    public static GgufFile Open(string path)
    {
        var file = new MappedFile(path);
        try
        {
            return Parse(file);
        }
        catch (Exception e) when (e is not ModelFormatException)
        {
            file.Dispose();
            throw new ModelFormatException(path, $"not a readable GGUF file ({e.Message})", e);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool TryGetTensor(string name, out GgufTensorInfo info) => _tensors.TryGetValue(name, out info!);

    public GgufTensorInfo Tensor(string name) =>
        _tensors.TryGetValue(name, out var info) ? info : throw new ModelFormatException(Path, $"tensor '{name}' is missing");

    /// <summary>The raw bytes of a tensor, in its stored type.</summary>
    public ReadOnlySpan<byte> TensorBytes(GgufTensorInfo info) =>
        File.Span(DataOffset + info.Offset, GgmlTypeSizes.ByteCount(info.Type, info.ElementCount));

    public T Get<T>(string key)
    {
        if (!Metadata.TryGetValue(key, out var value))
            throw new ModelFormatException(Path, $"metadata key '{key}' is missing");
        return Convert<T>(key, value);
    }

    public T GetOrDefault<T>(string key, T fallback) =>
        Metadata.TryGetValue(key, out var value) ? Convert<T>(key, value) : fallback;

    private T Convert<T>(string key, object value)
    {
        try
        {
            return value is T typed ? typed : (T)System.Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ModelFormatException(Path, $"metadata key '{key}' is {value.GetType().Name}, expected {typeof(T).Name}", e);
        }
    }

    public void Dispose() => File.Dispose();

    private static GgufFile Parse(MappedFile file)
    {
        var reader = new Reader(file);
        if (reader.UInt32() != Magic)
            throw new ModelFormatException(file.Path, "bad magic: not a GGUF file");
        uint version = reader.UInt32();
        if (version is not (2 or 3))
            throw new ModelFormatException(file.Path, $"GGUF version {version} is not supported (2 and 3 are)");
        long tensorCount = reader.Count("tensor count");
        long metadataCount = reader.Count("metadata count");

        var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
        for (long i = 0; i < metadataCount; i++)
        {
            string key = reader.String();
            metadata[key] = reader.Value((GgufValueType)reader.UInt32());
        }

        var tensors = new Dictionary<string, GgufTensorInfo>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            string name = reader.String();
            uint dimensionCount = reader.UInt32();
            if (dimensionCount is 0 or > 4)
                throw new ModelFormatException(file.Path, $"tensor '{name}' has {dimensionCount} dimensions");
            var dimensions = new long[dimensionCount];
            for (int d = 0; d < dimensionCount; d++)
                dimensions[d] = (long)reader.UInt64();
            var type = (GgmlType)reader.UInt32();
            if (!Enum.IsDefined(type))
                throw new ModelFormatException(file.Path, $"tensor '{name}' has unknown ggml type {(uint)type}");
            tensors[name] = new GgufTensorInfo(name, dimensions, type, (long)reader.UInt64());
        }

        long alignment = metadata.TryGetValue("general.alignment", out var a) ? System.Convert.ToInt64(a) : DefaultAlignment;
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ModelFormatException(file.Path, $"general.alignment {alignment} is not a power of two");
        long dataOffset = (reader.Position + alignment - 1) / alignment * alignment;

        var gguf = new GgufFile(file, version, metadata, tensors, dataOffset);
        foreach (var info in tensors.Values)
        {
            if (info.Dimensions.Any(d => d <= 0))
                throw new ModelFormatException(file.Path, $"tensor '{info.Name}' has a non-positive dimension");
            long bytes = GgmlTypeSizes.ByteCount(info.Type, info.ElementCount);
            if (dataOffset + info.Offset + bytes > file.Length)
                throw new ModelFormatException(file.Path,
                    $"truncated: tensor '{info.Name}' needs bytes up to {dataOffset + info.Offset + bytes} but the file has {file.Length}");
        }
        return gguf;
    }

    /// <summary>A cursor over the header, bounds-checked against the file.</summary>
    private sealed class Reader(MappedFile file)
    {
        public long Position { get; private set; }

        private ReadOnlySpan<byte> Take(long count)
        {
            var span = file.Span(Position, count);
            Position += count;
            return span;
        }

        public byte UInt8() => Take(1)[0];
        public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
        public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

        public long Count(string what)
        {
            ulong count = UInt64();
            // Every entry takes at least 8 bytes, so a count beyond the file size is damage.
            if (count > (ulong)file.Length)
                throw new ModelFormatException(file.Path, $"{what} {count} is larger than the file");
            return (long)count;
        }

        public string String()
        {
            long length = Count("string length");
            return Encoding.UTF8.GetString(Take(length));
        }

        public object Value(GgufValueType type) => type switch
        {
            GgufValueType.UInt8 => (long)UInt8(),
            GgufValueType.Int8 => (long)(sbyte)UInt8(),
            GgufValueType.UInt16 => (long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2)),
            GgufValueType.Int16 => (long)BinaryPrimitives.ReadInt16LittleEndian(Take(2)),
            GgufValueType.UInt32 => (long)UInt32(),
            GgufValueType.Int32 => (long)BinaryPrimitives.ReadInt32LittleEndian(Take(4)),
            GgufValueType.Float32 => (double)BinaryPrimitives.ReadSingleLittleEndian(Take(4)),
            GgufValueType.Bool => UInt8() != 0,
            GgufValueType.String => String(),
            GgufValueType.UInt64 => UInt64(),
            GgufValueType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(Take(8)),
            GgufValueType.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(Take(8)),
            GgufValueType.Array => Array(),
            _ => throw new ModelFormatException(file.Path, $"unknown metadata value type {(uint)type}"),
        };

        private object Array()
        {
            var elementType = (GgufValueType)UInt32();
            long count = Count("array length");
            switch (elementType)
            {
                case GgufValueType.String:
                    var strings = new string[count];
                    for (long i = 0; i < count; i++) strings[i] = String();
                    return strings;
                case GgufValueType.Float32:
                    var floats = new float[count];
                    for (long i = 0; i < count; i++) floats[i] = BinaryPrimitives.ReadSingleLittleEndian(Take(4));
                    return floats;
                case GgufValueType.Int32:
                    var ints = new int[count];
                    for (long i = 0; i < count; i++) ints[i] = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
                    return ints;
                default:
                    var values = new object[count];
                    for (long i = 0; i < count; i++) values[i] = Value(elementType);
                    return values;
            }
        }
    }
}
