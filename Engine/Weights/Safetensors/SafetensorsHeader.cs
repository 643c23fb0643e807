using System.Buffers.Binary;
using System.Text.Json;
using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Weights.Safetensors;

/// <summary>
/// Parses a safetensors file's header: a little-endian u64 length, then that many bytes of JSON
/// mapping names to dtype, shape and [begin, end) offsets into the data that follows. Every
/// offset and size is checked here, so a damaged file fails at open naming the tensor.
/// </summary>
public static class SafetensorsHeader
{
    // The safetensors spec caps the header at 100 MB; a larger length is damage, not a header.
    private const long MaxHeaderBytes = 100_000_000;

    public static Dictionary<string, SafetensorsEntry> Read(MappedFile file)
    {
        if (file.Length < 8)
            throw new ModelFormatException(file.Path, $"truncated: a safetensors header needs 8 bytes but the file has {file.Length}");
        ulong headerBytes = BinaryPrimitives.ReadUInt64LittleEndian(file.Span(0, 8));
        if (headerBytes > MaxHeaderBytes || 8 + (long)headerBytes > file.Length)
            throw new ModelFormatException(file.Path,
                $"bad safetensors header: its length {headerBytes} runs past the end of the {file.Length}-byte file");
        long dataStart = 8 + (long)headerBytes;
        try
        {
            using var json = JsonDocument.Parse(file.Span(8, (long)headerBytes).ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(file.Path, "bad safetensors header: not a JSON object");
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                entries[property.Name] = Entry(file, property.Name, property.Value, dataStart);
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ModelFormatException(file.Path, $"bad safetensors header: {e.Message}", e);
        }
    }

    private static SafetensorsEntry Entry(MappedFile file, string name, JsonElement value, long dataStart)
    {
        string dtype = value.GetProperty("dtype").GetString() ?? "";
        var (type, elementBytes) = Dtype(file, name, dtype);
        long[] shape = value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        long[] offsets = value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        if (shape.Any(d => d < 0))
            throw new ModelFormatException(file.Path, $"tensor '{name}' has a negative dimension in {ExpectedShapes.Format(shape)}");
        if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || dataStart + offsets[1] > file.Length)
            throw new ModelFormatException(file.Path,
                $"tensor '{name}' data_offsets {ExpectedShapes.Format(offsets)} are out of range: the data section holds {file.Length - dataStart} bytes");
        long expected = shape.Aggregate((long)elementBytes, (a, d) => checked(a * d));
        if (offsets[1] - offsets[0] != expected)
            throw new ModelFormatException(file.Path,
                $"tensor '{name}' spans {offsets[1] - offsets[0]} bytes but {dtype} {ExpectedShapes.Format(shape)} needs {expected}");
        return new SafetensorsEntry(name, dtype, type, shape, dataStart + offsets[0], expected);
    }

    /// <summary>safetensors dtypes, as the ggml type with the same encoding.</summary>
    private static (GgmlType Type, int Bytes) Dtype(MappedFile file, string name, string dtype) => dtype switch
    {
        "F32" => (GgmlType.F32, 4),
        "F16" => (GgmlType.F16, 2),
        "BF16" => (GgmlType.BF16, 2),
        "F64" => (GgmlType.F64, 8),
        "I64" => (GgmlType.I64, 8),
        "I32" => (GgmlType.I32, 4),
        "I16" => (GgmlType.I16, 2),
        "I8" => (GgmlType.I8, 1),
        _ => throw new ModelFormatException(file.Path, $"tensor '{name}' has dtype {dtype}, which is not supported"),
    };
}
