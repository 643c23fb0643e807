using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.SentencePiece;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class TokenizerLoaderTests
{
    [SharedModelFact]
    public void Open_WhenHfDirectory_ReadsTokenizerJson()
    {
        var tokenizer = TokenizerLoader.Open(SharedModels.Path("stories260K-hf"));

        Assert.Equal(TokenizerGoldens.Greedy().PromptIds, tokenizer.Encode("Once upon a time", tokenizer.AddBos));
    }

    [SharedModelFact]
    public void Open_WhenGguf_ReadsEmbeddedVocabulary()
    {
        Assert.IsType<SentencePieceTokenizer>(TokenizerLoader.Open(SharedModels.Path("stories260K", "stories260K.gguf")));
        Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Open(SharedModels.Path("llamacpp-vocab", "ggml-vocab-gpt-2.gguf")));
    }

    [SharedModelFact]
    public void Open_WhenLlama2cCheckpointWithTok512Beside_FindsIt()
    {
        var tokenizer = TokenizerLoader.Open(SharedModels.Path("stories260K", "stories260K.bin"));

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.Equal(TokenizerGoldens.Greedy().PromptIds, tokenizer.Encode("Once upon a time", addBos: true));
    }

    [SharedModelFact]
    public void Open_WhenTokenizerPathGiven_UsesIt()
    {
        var tokenizer = TokenizerLoader.Open(
            SharedModels.Path("aidreams260K", "aidreams260K.bin"), SharedModels.Path("aidreams260K", "tok512.bin"));

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.Equal("a dream", tokenizer.Decode(tokenizer.Encode("a dream", addBos: true)));
    }

    [SharedModelFact]
    public void Open_WhenLlama2cCheckpointWithoutTokenizerBeside_ThrowsNamingModel()
    {
        string model = TempFiles.Copy(SharedModels.Path("stories260K", "stories260K.bin"), keepBytes: 64);

        var error = Assert.Throws<ModelFormatException>(() => TokenizerLoader.Open(model));

        Assert.Equal(model, error.File);
        Assert.Contains("tokenizer.bin", error.Reason, StringComparison.Ordinal);
    }

    [SharedModelFact]
    public void Open_WhenTruncatedTokenizerBin_ThrowsNamingIt()
    {
        string tokenizer = TempFiles.Copy(SharedModels.Path("stories260K", "tok512.bin"), keepBytes: 5000);

        var error = Assert.Throws<ModelFormatException>(() => TokenizerLoader.Open(SharedModels.Path("stories260K", "stories260K.bin"), tokenizer));

        Assert.Equal(tokenizer, error.File);
        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenDirectoryHasNoTokenizerJson_Throws()
    {
        string directory = TempFiles.Directory();

        var error = Assert.Throws<ModelFormatException>(() => TokenizerLoader.Open(directory));

        Assert.Contains("no tokenizer.json", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WhenTokenizerJsonIsNotJson_ThrowsNamingIt()
    {
        string path = TempFiles.Write("tokenizer.json", "not json at all");

        var error = Assert.Throws<ModelFormatException>(() => TokenizerLoader.Open(Path.GetDirectoryName(path)!));

        Assert.Equal(path, error.File);
    }

    [Fact]
    public void Open_WhenFileMissing_Throws()
    {
        string missing = Path.Combine(TempFiles.Directory(), "model.gguf");

        var error = Assert.Throws<ModelFormatException>(() => TokenizerLoader.Open(missing));

        Assert.Equal("file not found", error.Reason);
    }
}
