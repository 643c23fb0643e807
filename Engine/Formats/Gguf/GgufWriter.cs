namespace Cluster.Engine.Formats.Gguf;

/// <summary>
/// Writes a GGUF v3 file: header, metadata, tensor directory, then each tensor's data at an
/// offset aligned to <see cref="Alignment"/> (written as <c>general.alignment</c>), the layout
/// <see cref="GgufFile"/> and llama.cpp's <c>gguf_init_from_file</c> read.
/// </summary>
public sealed class GgufWriter
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    public const uint Version = 3;

    private readonly List<KeyValuePair<string, GgufMetadataValue>> _metadata = [];
    private readonly List<GgufTensorSource> _tensors = [];

    public GgufWriter(uint alignment = 32)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), $"alignment {alignment} is not a power of two");
        Alignment = alignment;
        Add("general.alignment", GgufMetadataValue.UInt32(alignment));
    }

    public uint Alignment { get; }

    public IReadOnlyList<GgufTensorSource> Tensors => _tensors;

    /// <summary>Adds a metadata key; a key given twice is a bug in the caller (readers keep only one).</summary>
    public GgufWriter Add(string key, GgufMetadataValue value)
    {
        if (_metadata.Any(entry => entry.Key == key))
            throw new ArgumentException($"metadata key '{key}' is already set", nameof(key));
        _metadata.Add(new(key, value));
        return this;
    }

    public GgufWriter AddTensor(GgufTensorSource tensor)
    {
        if (tensor.Shape.Length is 0 or > 4 || tensor.Shape.Any(d => d <= 0))
            throw new ArgumentException($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}]; GGUF takes 1 to 4 positive dimensions");
        if (_tensors.Any(t => t.Name == tensor.Name))
            throw new ArgumentException($"tensor '{tensor.Name}' is already added");
        _tensors.Add(tensor);
        return this;
    }

    /// <param name="progress">Told after each tensor is written: (tensors written, tensor name).</param>
    public void Write(Stream stream, Action<int, string>? progress = null)
    {
        using var output = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        output.Write(Magic);
        output.Write(Version);
        output.Write((ulong)_tensors.Count);
        output.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            GgufMetadataValue.WriteString(output, key);
            value.WriteTo(output);
        }

        long offset = 0;
        foreach (var tensor in _tensors)
        {
            GgufMetadataValue.WriteString(output, tensor.Name);
            output.Write((uint)tensor.Shape.Length);
            // ggml lists dimensions innermost first: the reverse of the row-major shape.
            for (int d = tensor.Shape.Length - 1; d >= 0; d--)
                output.Write((ulong)tensor.Shape[d]);
            output.Write((uint)tensor.Type);
            output.Write((ulong)offset);
            offset = Align(offset + tensor.ByteCount);
        }

        Pad(output);
        for (int i = 0; i < _tensors.Count; i++)
        {
            var tensor = _tensors[i];
            var data = tensor.Data();
            if (data.LongLength != tensor.ByteCount)
                throw new InvalidOperationException($"tensor '{tensor.Name}' produced {data.LongLength} bytes; {tensor.Type} of [{string.Join(", ", tensor.Shape)}] takes {tensor.ByteCount}");
            output.Write(data);
            Pad(output);
            progress?.Invoke(i + 1, tensor.Name);
        }
    }

    public void Write(string path, Action<int, string>? progress = null)
    {
        // Written beside the target and moved into place, so a failure never leaves half a model under the real name.
        string temporary = path + ".partial";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                Write(stream, progress);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private long Align(long position) => (position + Alignment - 1) / Alignment * Alignment;

    private void Pad(BinaryWriter output)
    {
        long position = output.BaseStream.Position;
        output.Write(new byte[Align(position) - position]);
    }
}
