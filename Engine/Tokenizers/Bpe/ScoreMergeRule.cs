using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>
/// SentencePiece BPE (llama2.c <c>encode</c>, llama.cpp <c>llm_tokenizer_spm</c>): a pair merges
/// when the joined text is a vocabulary piece, best piece score first. Control, unknown, byte and
/// unused pieces are never merge results, as in SentencePiece itself.
/// </summary>
public sealed class ScoreMergeRule(Vocabulary vocabulary) : IMergeRule
{
    public bool TryGetPriority(ReadOnlySpan<char> left, ReadOnlySpan<char> right, ReadOnlySpan<char> merged, out float priority)
    {
        priority = 0;
        if (!vocabulary.TryGetId(merged, out int id) || vocabulary.Kind(id) is not (TokenKind.Normal or TokenKind.UserDefined))
            return false;
        priority = vocabulary.Score(id);
        return true;
    }
}
