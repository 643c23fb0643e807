using System.Runtime.InteropServices;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tokenizers;
using Cluster.Engine.Tokenizers.Gguf;
using TorchSharp;

namespace Cluster.Engine.Weights.Gguf;

/// <summary>
/// Writes any checkpoint (with its tokenizer) as a GGUF v3 <c>llama</c> model in F32 or F16,
/// named and laid out as llama.cpp's converter does: q/k rows back in the interleaved-pair RoPE
/// order, and 1-D tensors (norms, biases) kept F32 in an F16 file as llama.cpp expects.
/// </summary>
public static class GgufExporter
{
    /// <param name="progress">Told after each tensor: (tensors written, tensor count, GGUF name).</param>
    public static void Export(ICheckpoint checkpoint, ITextTokenizer? tokenizer, string name, GgmlType type, string outputPath,
        Action<int, int, string>? progress = null)
    {
        var writer = Build(checkpoint, tokenizer, name, type);
        writer.Write(outputPath, (done, tensor) => progress?.Invoke(done, writer.Tensors.Count, tensor));
    }

    public static GgufWriter Build(ICheckpoint checkpoint, ITextTokenizer? tokenizer, string name, GgmlType type)
    {
        var config = checkpoint.Config;
        if (tokenizer is not null && tokenizer.VocabSize != config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabSize} tokens but the model's vocabulary is {config.VocabSize}");
        var writer = new GgufWriter();
        GgufLlamaMetadata.AddTo(writer, config, name, type);
        if (tokenizer is not null)
            GgufTokenizerWriter.AddTo(writer, tokenizer);
        foreach (string hfName in TensorOrder(checkpoint))
        {
            string ggufName = GgufTensorNames.FromHf(hfName) ?? throw new InvalidOperationException($"no GGUF name for '{hfName}'");
            long[] shape = checkpoint.Shape(hfName);
            var stored = shape.Length == 1 ? GgmlType.F32 : type;
            int ropeHeads = RopeHeads(config, hfName);
            writer.AddTensor(new GgufTensorSource(ggufName, shape, stored, () => Encode(checkpoint, hfName, ropeHeads, stored)));
        }
        return writer;
    }

    /// <summary>The HF names present in the checkpoint, in llama.cpp's order: embedding, each block, final norm, head.</summary>
    private static IEnumerable<string> TensorOrder(ICheckpoint checkpoint)
    {
        var config = checkpoint.Config;
        yield return TensorNames.Embedding;
        for (int layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            string[] names =
            [
                TensorNames.InputNorm(layer), TensorNames.Query(layer), TensorNames.Key(layer), TensorNames.Value(layer),
                TensorNames.QueryBias(layer), TensorNames.KeyBias(layer), TensorNames.ValueBias(layer),
                TensorNames.Output(layer), TensorNames.PostAttentionNorm(layer),
                TensorNames.Gate(layer), TensorNames.Up(layer), TensorNames.Down(layer),
            ];
            foreach (string name in names.Where(checkpoint.Contains))
                yield return name;
        }
        yield return TensorNames.FinalNorm;
        // A tied head is the embedding; llama.cpp falls back to token_embd when output is absent.
        if (!config.TieWordEmbeddings && checkpoint.Contains(TensorNames.LmHead))
            yield return TensorNames.LmHead;
    }

    private static int RopeHeads(Config.ModelConfig config, string hfName)
    {
        if (!ExpectedShapes.TryParseLayer(hfName, out _, out string suffix))
            return 0;
        return suffix switch
        {
            "self_attn.q_proj.weight" or "self_attn.q_proj.bias" => config.NumAttentionHeads,
            "self_attn.k_proj.weight" or "self_attn.k_proj.bias" => config.NumKeyValueHeads,
            _ => 0,
        };
    }

    private static byte[] Encode(ICheckpoint checkpoint, string hfName, int ropeHeads, GgmlType type)
    {
        using var scope = torch.NewDisposeScope();
        var tensor = checkpoint.Read(hfName, torch.ScalarType.Float32, torch.CPU);
        if (ropeHeads > 0)
            tensor = RopeLayout.RotateHalfToInterleaved(tensor, ropeHeads);
        float[] values = tensor.contiguous().data<float>().ToArray();
        return type switch
        {
            GgmlType.F32 => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            GgmlType.F16 => ToHalfBytes(values),
            _ => throw new NotSupportedException($"export as {type} is not supported (F32 and F16 are)"),
        };
    }

    /// <summary>float32 → IEEE half, round to nearest even (what torch's .half() and numpy's astype do).</summary>
    private static byte[] ToHalfBytes(float[] values)
    {
        var halves = new Half[values.Length];
        for (int i = 0; i < values.Length; i++)
            halves[i] = (Half)values[i];
        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }
}
