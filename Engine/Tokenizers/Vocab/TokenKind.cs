namespace Cluster.Engine.Tokenizers.Vocab;

/// <summary>
/// What a vocabulary entry is, with GGUF's <c>tokenizer.ggml.token_type</c> numbering
/// (SentencePiece's piece types), so GGUF arrays map onto it directly.
/// </summary>
public enum TokenKind
{
    Normal = 1,
    Unknown = 2,

    /// <summary>BOS, EOS, chat markers: matched in text only when special tokens are parsed; decode to nothing.</summary>
    Control = 3,

    /// <summary>Added tokens that are always matched in text and decode to their own text.</summary>
    UserDefined = 4,
    Unused = 5,

    /// <summary>SentencePiece byte-fallback pieces <c>&lt;0xXX&gt;</c>.</summary>
    Byte = 6,
}
