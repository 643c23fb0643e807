using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>
/// Merges-list BPE (GPT-2, HF <c>tokenizers</c>, llama.cpp <c>llm_tokenizer_bpe</c>): a pair merges
/// when it appears in the merges list; earlier entries merge first.
/// </summary>
public sealed class RankMergeRule : IMergeRule
{
    private readonly Vocabulary _vocabulary;
    private readonly Dictionary<long, int> _ranks;
    private readonly List<(string Left, string Right)> _pairs = [];

    /// <param name="merges">Pairs of token texts, highest priority first.</param>
    /// <param name="skipped">How many merges named a token outside the vocabulary (they can never apply).</param>
    public RankMergeRule(Vocabulary vocabulary, IEnumerable<(string Left, string Right)> merges, out int skipped)
    {
        _vocabulary = vocabulary;
        _ranks = new Dictionary<long, int>();
        skipped = 0;
        int rank = 0;
        foreach (var (left, right) in merges)
        {
            if (vocabulary.TryGetId(left, out int l) && vocabulary.TryGetId(right, out int r))
            {
                if (_ranks.TryAdd(Key(l, r), rank))
                    _pairs.Add((left, right));
            }
            else
                skipped++;
            rank++;
        }
    }

    public int Count => _ranks.Count;

    /// <summary>
    /// The merges that can apply, highest priority first (duplicates and merges naming unknown
    /// tokens dropped): what a GGUF export writes as <c>tokenizer.ggml.merges</c>.
    /// </summary>
    public IReadOnlyList<(string Left, string Right)> Pairs => _pairs;

    public bool TryGetPriority(ReadOnlySpan<char> left, ReadOnlySpan<char> right, ReadOnlySpan<char> merged, out float priority)
    {
        priority = 0;
        if (!_vocabulary.TryGetId(left, out int l) || !_vocabulary.TryGetId(right, out int r)
            || !_ranks.TryGetValue(Key(l, r), out int rank))
            return false;
        // Ranks stay far below 2^24, so the float is exact.
        priority = -rank;
        return true;
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;
}
