namespace Cluster.Engine.Tokenizers.Vocab;

/// <summary>A piece of input text: either raw text to tokenize or one special token matched whole.</summary>
public readonly record struct TextFragment(int Start, int Length, int TokenId)
{
    public const int RawText = -1;

    public bool IsRaw => TokenId == RawText;
}
