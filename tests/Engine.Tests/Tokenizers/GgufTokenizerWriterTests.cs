using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tokenizers;
using Cluster.Engine.Tokenizers.Gguf;

namespace Cluster.Engine.Tests.Tokenizers;

/// <summary>Vocabularies written as <c>tokenizer.ggml.*</c> and read back encode as before.</summary>
public sealed class GgufTokenizerWriterTests
{
    [SharedModelTheory]
    [InlineData("ggml-vocab-gpt-2.gguf")]
    [InlineData("ggml-vocab-llama-spm.gguf")]
    public void AddTo_WhenLlamaCppVocabularyRewritten_EncodesEveryTestVectorIdentically(string vocab)
    {
        using var temp = new TemporaryDirectory();
        var original = GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", vocab));
        string path = temp.File("vocab.gguf");
        var writer = new GgufWriter();
        GgufTokenizerWriter.AddTo(writer, original);
        writer.Write(path);

        var rewritten = GgufTokenizerReader.Read(path);

        foreach (var (input, expected) in LlamaCppVocabTests.ReadCases(vocab))
            Assert.Equal(expected, rewritten.Encode(input, addBos: false, parseSpecial: false));
        Assert.Equal(original.BosId, rewritten.BosId);
        Assert.Equal(original.EosIds, rewritten.EosIds);
        Assert.Equal(original.AddBos, rewritten.AddBos);
    }

    [SharedModelFact]
    public void AddTo_WhenHfTokenizerJsonRanksMerges_ThrowsSayingWhy()
    {
        var hf = TokenizerLoader.Open(SharedModels.Path("stories260K-hf"));

        var error = Assert.Throws<NotSupportedException>(() => GgufTokenizerWriter.AddTo(new GgufWriter(), hf));

        Assert.Contains("merges", error.Message);
    }

    [Fact]
    public void AddTo_WhenByteVocabulary_KeepsEveryByteId()
    {
        using var temp = new TemporaryDirectory();
        var bytes = new ByteTokenizer(300);
        string path = temp.File("bytes.gguf");
        var writer = new GgufWriter();
        GgufTokenizerWriter.AddTo(writer, bytes);
        writer.Write(path);

        var rewritten = GgufTokenizerReader.Read(path);

        string text = string.Concat(Enumerable.Range(1, 255).Select(b => (char)b)) + " ✓ 😀";
        Assert.Equal(bytes.Encode(text, addBos: true), rewritten.Encode(text, addBos: true, parseSpecial: false));
        Assert.Equal(300, rewritten.VocabSize);
        Assert.Equal("", rewritten.Decode([299]));
    }
}
