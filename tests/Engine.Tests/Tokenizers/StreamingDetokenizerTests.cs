using Cluster.Engine.Tokenizers;
using Cluster.Engine.Tokenizers.Gguf;
using Cluster.Engine.Tokenizers.SentencePiece;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class StreamingDetokenizerTests
{
    public static TheoryData<string> Vocabularies() => new() { "ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf" };

    [SharedModelTheory]
    [MemberData(nameof(Vocabularies))]
    public void Push_WhenEmojiSplitOverByteTokens_HoldsBackUntilComplete(string vocab)
    {
        var tokenizer = GgufTokenizerReader.Read(SharedModels.Path("llamacpp-vocab", vocab));
        const string text = "a 🦙 and 中文 end";
        var ids = tokenizer.Encode(text, addBos: false);
        var streamer = new StreamingDetokenizer(tokenizer);

        var pieces = ids.Select(streamer.Push).ToList();

        Assert.Equal(text, string.Concat(pieces) + streamer.Flush());
        // Some token carried only part of a character: its push gave nothing, and no push gave a broken character.
        Assert.Contains("", pieces);
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD'));
        Assert.Contains(pieces, p => p.Contains("🦙", StringComparison.Ordinal));
    }

    [SharedModelFact]
    public void Push_WhenCjkSplitOverSpmByteFallback_ReleasesCharacterWithLastByte()
    {
        var tokenizer = Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));
        var streamer = new StreamingDetokenizer(tokenizer);

        // "中" is E4 B8 AD; tok512 has no piece for it, so it is three byte-fallback tokens (byte + 3).
        Assert.Equal("", streamer.Push(1));
        Assert.Equal("", streamer.Push(0xE4 + 3));
        Assert.Equal("", streamer.Push(0xB8 + 3));
        Assert.Equal("中", streamer.Push(0xAD + 3));
        Assert.Equal("", streamer.Flush());
    }

    [SharedModelFact]
    public void Flush_WhenPartialCharacterDangles_ReturnsReplacementCharacter()
    {
        var tokenizer = Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));
        var streamer = new StreamingDetokenizer(tokenizer);
        int he = tokenizer.Encode("He", addBos: false)[0];

        Assert.Equal("He", streamer.Push(he));
        Assert.Equal("", streamer.Push(0xF0 + 3));
        Assert.Equal("", streamer.Push(0x9F + 3));
        Assert.Equal("\uFFFD", streamer.Flush());
    }

    [SharedModelFact]
    public void Push_WhenBosThenPieces_DropsOnlyTheDummyPrefixSpace()
    {
        var tokenizer = Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));
        var (_, promptIds, generatedIds, text) = TokenizerGoldens.Greedy();
        var streamer = new StreamingDetokenizer(tokenizer);

        string streamed = string.Concat(promptIds.Concat(generatedIds).Select(streamer.Push)) + streamer.Flush();

        Assert.Equal(tokenizer.Decode([.. promptIds, .. generatedIds]), streamed);
        Assert.StartsWith("Once upon a time", streamed, StringComparison.Ordinal);
    }
}
