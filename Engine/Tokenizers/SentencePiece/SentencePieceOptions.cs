using Cluster.Engine.Tokenizers.Bpe;

namespace Cluster.Engine.Tokenizers.SentencePiece;

/// <summary>How a SentencePiece-style vocabulary spells and treats spaces, and how its pieces merge.</summary>
public sealed record SentencePieceOptions
{
    /// <summary>"▁" (U+2581) in SentencePiece, GGUF and HF files; a plain space in llama2.c's tokenizer.bin.</summary>
    public string SpaceSymbol { get; init; } = "\u2581";

    public SpacePrefix SpacePrefix { get; init; } = SpacePrefix.Always;

    /// <summary>HF Metaspace with <c>split: true</c>: each word (starting at a space) merges on its own.</summary>
    public bool SplitAtSpaces { get; init; }

    /// <summary>Null: merge by piece score (SentencePiece). HF files rank merges by their list instead.</summary>
    public IMergeRule? MergeRule { get; init; }

    public bool ParseSpecialByDefault { get; init; } = true;
}
