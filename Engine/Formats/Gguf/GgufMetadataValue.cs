using System.Text;

namespace Cluster.Engine.Formats.Gguf;

/// <summary>
/// One typed metadata value to write into a GGUF file. The type is explicit because readers
/// (llama.cpp's among them) check it: a context length written as float32 is rejected there.
/// </summary>
public sealed record GgufMetadataValue
{
    private GgufMetadataValue(GgufValueType type, object value, GgufValueType elementType = GgufValueType.UInt8)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
    }

    public GgufValueType Type { get; }

    /// <summary>The element type of an array value.</summary>
    public GgufValueType ElementType { get; }

    public object Value { get; }

    public static GgufMetadataValue String(string value) => new(GgufValueType.String, value);

    public static GgufMetadataValue UInt32(uint value) => new(GgufValueType.UInt32, value);

    public static GgufMetadataValue Int32(int value) => new(GgufValueType.Int32, value);

    public static GgufMetadataValue Float32(float value) => new(GgufValueType.Float32, value);

    public static GgufMetadataValue Bool(bool value) => new(GgufValueType.Bool, value);

    public static GgufMetadataValue Strings(IReadOnlyList<string> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.String);

    public static GgufMetadataValue Float32s(IReadOnlyList<float> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Float32);

    public static GgufMetadataValue Int32s(IReadOnlyList<int> values) => new(GgufValueType.Array, values.ToArray(), GgufValueType.Int32);

    internal void WriteTo(BinaryWriter output)
    {
        output.Write((uint)Type);
        switch (Value)
        {
            case string s: WriteString(output, s); break;
            case uint u: output.Write(u); break;
            case int i: output.Write(i); break;
            case float f: output.Write(f); break;
            case bool b: output.Write((byte)(b ? 1 : 0)); break;
            case string[] strings:
                WriteArrayHeader(output, strings.Length);
                foreach (var s in strings) WriteString(output, s);
                break;
            case float[] floats:
                WriteArrayHeader(output, floats.Length);
                foreach (var f in floats) output.Write(f);
                break;
            case int[] ints:
                WriteArrayHeader(output, ints.Length);
                foreach (var i in ints) output.Write(i);
                break;
            default:
                throw new InvalidOperationException($"metadata value of type {Value.GetType().Name} cannot be written");
        }
    }

    private void WriteArrayHeader(BinaryWriter output, int count)
    {
        output.Write((uint)ElementType);
        output.Write((ulong)count);
    }

    /// <summary>GGUF strings: uint64 byte length, then UTF-8 without a terminator.</summary>
    internal static void WriteString(BinaryWriter output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        output.Write((ulong)bytes.Length);
        output.Write(bytes);
    }
}
