using System.Text;
using System.Text.Json;

namespace Cluster.Engine.Tests.Weights.Support;

/// <summary>Writes small safetensors files (float32 tensors) and HF checkpoint directories for tests.</summary>
public sealed class TestSafetensorsWriter
{
    private readonly List<(string Name, long[] Shape, float[] Values)> _tensors = [];

    public TestSafetensorsWriter Float32(string name, long[] shape, float[] values)
    {
        _tensors.Add((name, shape, values));
        return this;
    }

    public void Write(string path)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape, values) in _tensors)
        {
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, offset + values.Length * 4L } };
            offset += values.Length * 4L;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var output = new BinaryWriter(File.Create(path));
        output.Write((ulong)json.Length);
        output.Write(json);
        foreach (var (_, _, values) in _tensors)
            foreach (float v in values) output.Write(v);
    }

    /// <summary>A config.json for a llama model of the given shape.</summary>
    public static string LlamaConfig(int dim, int hidden, int layers, int heads, int kvHeads, int vocab) => $$"""
        {"model_type": "llama", "hidden_size": {{dim}}, "intermediate_size": {{hidden}}, "num_hidden_layers": {{layers}},
         "num_attention_heads": {{heads}}, "num_key_value_heads": {{kvHeads}}, "vocab_size": {{vocab}},
         "tie_word_embeddings": true, "eos_token_id": 2}
        """;
}
