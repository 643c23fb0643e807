using System.Buffers.Binary;
using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.Gguf;
using Cluster.Engine.Tokenizers.HuggingFace;
using Cluster.Engine.Tokenizers.SentencePiece;

namespace Cluster.Engine.Tokenizers;

/// <summary>
/// Finds and opens the tokenizer that belongs to a model: an HF directory's tokenizer.json, a
/// GGUF file's embedded vocabulary, or the llama2.c tokenizer.bin beside a llama2.c checkpoint.
/// </summary>
public static class TokenizerLoader
{
    private static readonly string[] Llama2cNames = ["tokenizer.bin", "tok512.bin"];

    /// <param name="modelPath">An HF model directory, a .gguf file or a llama2.c .bin checkpoint.</param>
    /// <param name="tokenizerPath">An explicit tokenizer file (tokenizer.json, .gguf or llama2.c tokenizer.bin); null to find it.</param>
    public static BpeTokenizer Open(string modelPath, string? tokenizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        if (tokenizerPath is not null)
            return OpenFile(tokenizerPath, Llama2cVocabSize(modelPath));
        if (Directory.Exists(modelPath))
        {
            string json = Path.Combine(modelPath, "tokenizer.json");
            if (File.Exists(json))
                return HfTokenizerReader.Read(json);
            throw new ModelFormatException(modelPath, "directory has no tokenizer.json");
        }
        if (!File.Exists(modelPath))
            throw new ModelFormatException(modelPath, "file not found");
        if (IsGguf(modelPath))
            return GgufTokenizerReader.Read(modelPath);
        string directory = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        string? beside = Llama2cNames.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
        return beside is not null
            ? Llama2cTokenizerReader.Read(beside, Llama2cVocabSize(modelPath))
            : throw new ModelFormatException(modelPath, $"no tokenizer given and none of {string.Join(", ", Llama2cNames)} beside it");
    }

    /// <summary>Opens a tokenizer file on its own (tokenizer.json, .gguf or llama2.c tokenizer.bin).</summary>
    /// <param name="llama2cVocabSize">for a llama2.c tokenizer.bin: how many tokens to read (the model's vocab size).</param>
    public static BpeTokenizer OpenFile(string path, int? llama2cVocabSize = null)
    {
        if (!File.Exists(path))
            throw new ModelFormatException(path, "file not found");
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return HfTokenizerReader.Read(path);
        return IsGguf(path) ? GgufTokenizerReader.Read(path) : Llama2cTokenizerReader.Read(path, llama2cVocabSize);
    }

    private static bool IsGguf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }

    /// <summary>
    /// A llama2.c checkpoint's vocab size (the sixth int32 of its header; negative when the
    /// classifier is not shared): run.c reads exactly that many tokens. Null for other files.
    /// </summary>
    private static int? Llama2cVocabSize(string modelPath)
    {
        if (!File.Exists(modelPath) || !modelPath.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || IsGguf(modelPath))
            return null;
        Span<byte> header = stackalloc byte[28];
        using var stream = File.OpenRead(modelPath);
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            throw new ModelFormatException(modelPath, "truncated: shorter than a llama2.c header");
        int vocabSize = Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(header[20..]));
        return vocabSize is > 0 and < 1 << 24 ? vocabSize : throw new ModelFormatException(modelPath, $"llama2.c header vocab size {vocabSize} is not plausible");
    }
}
