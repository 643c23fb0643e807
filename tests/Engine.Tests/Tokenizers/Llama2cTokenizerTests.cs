using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers.SentencePiece;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class Llama2cTokenizerTests
{
    private static SentencePieceTokenizer Tok512() => Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));

    [SharedModelFact]
    public void Encode_WhenGoldenEncodeCases_MatchesLlama2cIds()
    {
        var tokenizer = Tok512();
        foreach (var (text, ids) in TokenizerGoldens.EncodeCases())
            Assert.Equal(ids, tokenizer.Encode(text, addBos: true));
    }

    [SharedModelFact]
    public void Encode_WhenGreedyGoldenPrompt_MatchesPromptIds()
    {
        var (prompt, promptIds, _, _) = TokenizerGoldens.Greedy();

        Assert.Equal(promptIds, Tok512().Encode(prompt, addBos: true));
    }

    [SharedModelFact]
    public void Decode_WhenGreedyGoldenIds_ReturnsGoldenText()
    {
        var (_, promptIds, generatedIds, text) = TokenizerGoldens.Greedy();

        string decoded = Tok512().Decode([.. promptIds, .. generatedIds]);

        // run.c prints a final newline after the generated text.
        Assert.Equal(text.TrimEnd('\n'), decoded.TrimEnd('\n'));
        Assert.StartsWith("Once upon a time,", decoded, StringComparison.Ordinal);
    }

    [SharedModelFact]
    public void Read_WhenTok512_HasLlama2cSpecialIds()
    {
        var tokenizer = Tok512();

        Assert.Equal(512, tokenizer.VocabSize);
        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal([2], tokenizer.EosIds);
        Assert.True(tokenizer.AddBos);
    }

    [SharedModelFact]
    public void Encode_WhenEmptyText_ReturnsOnlyBos()
    {
        Assert.Equal([1], Tok512().Encode("", addBos: true));
        Assert.Empty(Tok512().Encode("", addBos: false));
    }

    [SharedModelFact]
    public void Encode_WhenCharacterOutsideVocabulary_FallsBackToBytePlusThree()
    {
        // "中" (UTF-8 E4 B8 AD) is not among the 512 pieces; llama2.c maps each byte b to id b + 3.
        var ids = Tok512().Encode("中", addBos: false);

        Assert.Equal([0xE4 + 3, 0xB8 + 3, 0xAD + 3], ids.TakeLast(3));
        Assert.Equal("中", Tok512().Decode(ids));
    }

    [SharedModelFact]
    public void TokenBytes_WhenFirstPieceAfterBos_DropsLeadingSpace()
    {
        var tokenizer = Tok512();
        int he = tokenizer.Encode("He", addBos: false)[0];

        Assert.Equal(" He"u8.ToArray(), tokenizer.TokenBytes(he, previousId: 261).ToArray());
        Assert.Equal("He"u8.ToArray(), tokenizer.TokenBytes(he, previousId: 1).ToArray());
        Assert.Empty(tokenizer.TokenBytes(2, previousId: he).ToArray());
    }

    [SharedModelFact]
    public void Read_WhenFileTruncated_ThrowsNamingFileAndToken()
    {
        string path = TempFiles.Copy(SharedModels.Path("stories260K", "tok512.bin"), keepBytes: 3000);

        var error = Assert.Throws<ModelFormatException>(() => Llama2cTokenizerReader.Read(path));

        Assert.Equal(path, error.File);
        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
    }

    [SharedModelFact]
    public void Read_WhenFewerTokensThanModelVocab_Throws()
    {
        var error = Assert.Throws<ModelFormatException>(() =>
            Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"), expectedVocabSize: 32000));

        Assert.Contains("truncated", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenHeaderIsGarbage_ThrowsNotALlama2cTokenizer()
    {
        string path = TempFiles.Write("garbage.bin", [0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4]);

        var error = Assert.Throws<ModelFormatException>(() => Llama2cTokenizerReader.Read(path));

        Assert.Contains("max_token_length", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTokenLengthNegative_Throws()
    {
        byte[] data = [16, 0, 0, 0, /* score */ 0, 0, 0, 0, /* length -5 */ 0xFB, 0xFF, 0xFF, 0xFF];
        string path = TempFiles.Write("negative.bin", data);

        var error = Assert.Throws<ModelFormatException>(() => Llama2cTokenizerReader.Read(path));

        Assert.Contains("token 0 has length -5", error.Reason, StringComparison.Ordinal);
    }
}
