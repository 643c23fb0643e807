using System.Collections.Concurrent;
using System.Text;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.Gguf;

namespace Cluster.Engine.Tests.Tokenizers;

/// <summary>
/// llama.cpp's tokenizer test vectors (test-tokenizer-0): cases in the .inp file separated by
/// "\n__ggml_vocab_test__\n", expected ids one line per case in the .out file, tokenized with
/// no BOS and special tokens not parsed.
/// </summary>
public sealed class LlamaCppVocabTests
{
    // Each vocabulary is read once for all its cases; the tokenizers are immutable after load.
    private static readonly ConcurrentDictionary<string, BpeTokenizer> Tokenizers = new();

    private static BpeTokenizer Tokenizer(string vocab) =>
        Tokenizers.GetOrAdd(vocab, v => GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", v)));

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        if (!SharedModels.Available)
        {
            data.Add("none", 0);
            return data;
        }
        foreach (string vocab in new[] { "ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf" })
            for (int i = 0; i < ReadCases(vocab).Count; i++)
                data.Add(vocab, i);
        return data;
    }

    [SharedModelTheory]
    [MemberData(nameof(Cases))]
    public void Encode_WhenLlamaCppTestVector_MatchesExpectedIds(string vocab, int index)
    {
        var (input, expected) = ReadCases(vocab)[index];
        var tokenizer = Tokenizer(vocab);

        var ids = tokenizer.Encode(input, addBos: false, parseSpecial: false);

        Assert.Equal(expected, ids);
    }

    [SharedModelTheory]
    [MemberData(nameof(Cases))]
    public void Decode_WhenLlamaCppTestVector_ReturnsInputText(string vocab, int index)
    {
        var (input, expected) = ReadCases(vocab)[index];
        var tokenizer = Tokenizer(vocab);

        string text = tokenizer.Decode(expected);

        // Exact for both: SentencePiece drops only the dummy-prefix space it added itself.
        Assert.Equal(input, text);
    }

    [SharedModelFact]
    public void ReadCases_WhenBothVectorFiles_HoldSameNumberOfInputsAndOutputs()
    {
        foreach (string vocab in new[] { "ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf" })
            Assert.True(ReadCases(vocab).Count > 40, $"{vocab} has too few cases");
    }

    internal static List<(string Input, int[] Expected)> ReadCases(string vocab)
    {
        string inputs = File.ReadAllText(SharedModels.Path("llamacpp-vocab", vocab + ".inp"), Encoding.UTF8);
        string[] outputs = File.ReadAllLines(SharedModels.Path("llamacpp-vocab", vocab + ".out"), Encoding.UTF8);
        var parts = inputs.Split("\n__ggml_vocab_test__\n");
        // The file ends with a separator, so the last part is empty and not a case.
        Assert.Equal("", parts[^1]);
        Assert.Equal(parts.Length - 1, outputs.Length);
        return parts[..^1]
            .Select((input, i) => (input, outputs[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray()))
            .ToList();
    }
}
