namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>
/// Whether two adjacent symbols may merge, and how urgently: SentencePiece ranks a merge by the
/// score of the merged piece, HF/GPT-2 BPE by the position of the pair in the merges list.
/// </summary>
public interface IMergeRule
{
    /// <summary>True when <paramref name="left"/>+<paramref name="right"/> may merge; higher priority merges first.</summary>
    bool TryGetPriority(ReadOnlySpan<char> left, ReadOnlySpan<char> right, ReadOnlySpan<char> merged, out float priority);
}
