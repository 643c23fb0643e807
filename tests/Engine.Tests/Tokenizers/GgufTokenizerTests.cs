using System.Diagnostics;
using System.Text;
using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.Gguf;
using Cluster.Engine.Tokenizers.SentencePiece;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class GgufTokenizerTests
{
    private const string Mixed = "Hello world! Ünïcödé, 中文, emoji 🦙🚀 and\ttabs\nnewlines   spaces 12345.";

    private static string TinyRandom => SharedModels.Path("llama-2-tiny-random", "llama-2-tiny-random.gguf");

    [SharedModelFact]
    public void Read_WhenLlama2Vocabulary_LoadsFastWithSpecialIds()
    {
        GgufTokenizerReader.Read(TinyRandom); // warm up the JIT; the second load is what a server pays per model
        var watch = Stopwatch.StartNew();
        var tokenizer = GgufTokenizerReader.Read(TinyRandom);
        watch.Stop();

        Assert.IsType<SentencePieceTokenizer>(tokenizer);
        Assert.Equal(32000, tokenizer.VocabSize);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Contains(2, tokenizer.EosIds);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"loading took {watch.Elapsed}");
    }

    [SharedModelFact]
    public void Decode_WhenLlama2VocabularyEncodesMixedText_RoundTrips()
    {
        var tokenizer = GgufTokenizerReader.Read(TinyRandom);

        var ids = tokenizer.Encode(Mixed, addBos: true);

        Assert.Equal(1, ids[0]);
        Assert.Equal(Mixed, tokenizer.Decode(ids));
    }

    [SharedModelFact]
    public void Encode_WhenPromptOfThousandsOfTokens_IsFast()
    {
        var spm = GgufTokenizerReader.Read(TinyRandom);
        var gpt2 = GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", "ggml-vocab-gpt-2.gguf"));
        // One long SentencePiece "word" (no spaces) is the worst case for pair merging.
        string text = string.Concat(Enumerable.Repeat(Mixed + " ", 200)) + new string('a', 5000);
        spm.Encode(Mixed, addBos: true);
        gpt2.Encode(Mixed, addBos: false);

        var watch = Stopwatch.StartNew();
        var spmIds = spm.Encode(text, addBos: true);
        var gpt2Ids = gpt2.Encode(text, addBos: false);
        watch.Stop();

        Assert.True(spmIds.Count > 5000 && gpt2Ids.Count > 5000, $"{spmIds.Count} and {gpt2Ids.Count} tokens");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"encoding took {watch.Elapsed}");
        Assert.Equal(text, spm.Decode(spmIds));
        Assert.Equal(text, gpt2.Decode(gpt2Ids));
    }

    [SharedModelFact]
    public void Encode_WhenStories260KGguf_MatchesLlama2cTokenizer()
    {
        var gguf = GgufTokenizerReader.Read(SharedModels.Path("stories260K", "stories260K.gguf"));
        var llama2c = Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));

        foreach (var (text, ids) in TokenizerGoldens.EncodeCases())
            Assert.Equal(ids, gguf.Encode(text, addBos: true));
        string story = TokenizerGoldens.Greedy().Text;
        Assert.Equal(llama2c.Encode(story, addBos: true), gguf.Encode(story, addBos: true));
    }

    [SharedModelFact]
    public void Encode_WhenSpmControlTokenTextAndParsingSpecial_EmitsTokenAndPrefixesFollowingText()
    {
        var tokenizer = GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", "ggml-vocab-llama-spm.gguf"));

        var ids = tokenizer.Encode("Hello</s>world", addBos: false);

        // As llama.cpp: the text after a special token gets the dummy-prefix space again.
        Assert.Equal(tokenizer.Encode("Hello", addBos: false).Append(2).Concat(tokenizer.Encode("world", addBos: false)), ids);
        Assert.DoesNotContain(2, tokenizer.Encode("Hello</s>world", addBos: false, parseSpecial: false));
    }

    [SharedModelFact]
    public void Read_WhenGpt2Vocabulary_IsByteLevelWithoutBos()
    {
        var tokenizer = GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", "ggml-vocab-gpt-2.gguf"));

        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        Assert.False(tokenizer.AddBos);
        Assert.Equal(TokenKind.Control, tokenizer.Vocabulary.Kind(tokenizer.Vocabulary.Find("<|endoftext|>")!.Value));
    }

    [Fact]
    public void Read_WhenGgufHasNoTokenizerMetadata_ThrowsNamingFile()
    {
        string path = TempFiles.Write("no-vocab.gguf", MinimalGguf(("general.architecture", "llama")));

        var error = Assert.Throws<ModelFormatException>(() => GgufTokenizerReader.Read(path));

        Assert.Equal(path, error.File);
        Assert.Contains("tokenizer.ggml.model", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTokenizerModelUnknown_ThrowsUnsupported()
    {
        string path = TempFiles.Write("bert.gguf", MinimalGguf(("tokenizer.ggml.model", "bert")));

        var error = Assert.Throws<ModelFormatException>(() => GgufTokenizerReader.Read(path));

        Assert.Contains("'bert' is not supported", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenGgufTruncatedInHeader_ThrowsNamingFile()
    {
        byte[] whole = MinimalGguf(("tokenizer.ggml.model", "llama"));
        string path = TempFiles.Write("truncated.gguf", whole[..(whole.Length - 3)]);

        var error = Assert.Throws<ModelFormatException>(() => GgufTokenizerReader.Read(path));

        Assert.Equal(path, error.File);
    }

    /// <summary>A GGUF v3 file with no tensors and the given string metadata.</summary>
    private static byte[] MinimalGguf(params (string Key, string Value)[] metadata)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        void WriteString(string s)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            writer.Write((ulong)bytes.Length);
            writer.Write(bytes);
        }
        writer.Write("GGUF"u8);
        writer.Write(3u);
        writer.Write(0ul);
        writer.Write((ulong)metadata.Length);
        foreach (var (key, value) in metadata)
        {
            WriteString(key);
            writer.Write(8u); // string
            WriteString(value);
        }
        writer.Flush();
        return stream.ToArray();
    }
}
