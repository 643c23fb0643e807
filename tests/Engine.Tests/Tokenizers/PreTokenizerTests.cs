using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.ByteLevel;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class PreTokenizerTests
{
    [Theory]
    [InlineData("I'm  here 123", new[] { "I", "'m", " ", " here", " 123" })]
    [InlineData("Hello, world!\n\n", new[] { "Hello", ",", " world", "!", "\n\n" })]
    [InlineData("x 𝒜𝒷 y", new[] { "x", " 𝒜𝒷", " y" })]
    public void Split_WhenGpt2Pattern_SplitsLikeGpt2Regex(string text, string[] expected)
    {
        Assert.Equal(expected, Words(new Gpt2PreTokenizer(), text));
    }

    [Fact]
    public void Split_WhenLlama3Pattern_GroupsDigitsByThreeAndKeepsCaseInsensitiveContractions()
    {
        var llama3 = PreTokenizers.ForGgufPre("llama-bpe")!;

        Assert.Equal(["123", "45", " abc", "'S"], Words(llama3, "12345 abc'S"));
    }

    [Fact]
    public void Split_WhenQwen2Pattern_SplitsEveryDigit()
    {
        Assert.Equal(["1", "2", "3", " x"], Words(PreTokenizers.ForGgufPre("qwen2")!, "123 x"));
    }

    [Fact]
    public void ForGgufPre_WhenUnknownName_ReturnsNull()
    {
        Assert.Null(PreTokenizers.ForGgufPre("some-future-model"));
    }

    private static string[] Words(IPreTokenizer preTokenizer, string text)
    {
        var words = new List<SymbolSpan>();
        preTokenizer.Split(text, words);
        return words.Select(w => text.Substring(w.Start, w.Length)).ToArray();
    }
}
