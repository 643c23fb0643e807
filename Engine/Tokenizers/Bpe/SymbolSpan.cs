namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>A symbol during merging: a run of characters of the word being tokenized.</summary>
public readonly record struct SymbolSpan(int Start, int Length);
