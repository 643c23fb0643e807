using System.Text;
using Cluster.Engine.Formats.Gguf;

namespace Cluster.Engine.Tests.Weights.Support;

/// <summary>Writes small GGUF v3 files for tests: scalar metadata and raw tensor blocks.</summary>
public sealed class TestGgufWriter
{
    private const int Alignment = 32;
    private readonly List<(string Key, GgufValueType Type, object Value)> _metadata = [];
    private readonly List<(string Name, long[] Dimensions, GgmlType Type, byte[] Data)> _tensors = [];

    public TestGgufWriter UInt32(string key, uint value) => Add(key, GgufValueType.UInt32, value);

    public TestGgufWriter Float32(string key, float value) => Add(key, GgufValueType.Float32, value);

    public TestGgufWriter String(string key, string value) => Add(key, GgufValueType.String, value);

    /// <summary>A tensor by its row-major shape (written innermost-first, as ggml does).</summary>
    public TestGgufWriter Tensor(string name, long[] shape, GgmlType type, byte[] data)
    {
        _tensors.Add((name, shape.Reverse().ToArray(), type, data));
        return this;
    }

    public TestGgufWriter Float32Tensor(string name, long[] shape, float[] values) =>
        Tensor(name, shape, GgmlType.F32, values.SelectMany(BitConverter.GetBytes).ToArray());

    /// <summary>The metadata of a llama-architecture model of the given shape.</summary>
    public static TestGgufWriter Llama(int dim, int hidden, int layers, int heads, int kvHeads, int vocab) =>
        Model("llama", dim, hidden, layers, heads, kvHeads, vocab);

    /// <summary>The metadata of a model of a Llama-like architecture (keys prefixed by its name).</summary>
    public static TestGgufWriter Model(string arch, int dim, int hidden, int layers, int heads, int kvHeads, int vocab) => new TestGgufWriter()
        .String("general.architecture", arch)
        .UInt32($"{arch}.embedding_length", (uint)dim)
        .UInt32($"{arch}.feed_forward_length", (uint)hidden)
        .UInt32($"{arch}.block_count", (uint)layers)
        .UInt32($"{arch}.attention.head_count", (uint)heads)
        .UInt32($"{arch}.attention.head_count_kv", (uint)kvHeads)
        .UInt32($"{arch}.context_length", 64)
        .UInt32($"{arch}.vocab_size", (uint)vocab)
        .Float32($"{arch}.attention.layer_norm_rms_epsilon", 1e-6f)
        .UInt32("tokenizer.ggml.bos_token_id", 1)
        .UInt32("tokenizer.ggml.eos_token_id", 2);

    public void Write(string path)
    {
        using var output = new BinaryWriter(File.Create(path));
        output.Write("GGUF"u8);
        output.Write(3u);
        output.Write((ulong)_tensors.Count);
        output.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(output, key);
            output.Write((uint)type);
            switch (value)
            {
                case uint u: output.Write(u); break;
                case float f: output.Write(f); break;
                case string s: WriteString(output, s); break;
            }
        }
        long offset = 0;
        var offsets = new List<long>();
        foreach (var (name, dimensions, type, data) in _tensors)
        {
            WriteString(output, name);
            output.Write((uint)dimensions.Length);
            foreach (long d in dimensions) output.Write((ulong)d);
            output.Write((uint)type);
            output.Write((ulong)offset);
            offsets.Add(offset);
            offset = Align(offset + data.Length);
        }
        Pad(output);
        long dataStart = output.BaseStream.Position;
        for (int i = 0; i < _tensors.Count; i++)
        {
            output.BaseStream.Position = dataStart + offsets[i];
            output.Write(_tensors[i].Data);
        }
        Pad(output);
    }

    private TestGgufWriter Add(string key, GgufValueType type, object value)
    {
        _metadata.Add((key, type, value));
        return this;
    }

    private static void WriteString(BinaryWriter output, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        output.Write((ulong)bytes.Length);
        output.Write(bytes);
    }

    private static long Align(long value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter output)
    {
        while (output.BaseStream.Position % Alignment != 0)
            output.Write((byte)0);
    }
}
