namespace Cluster.Engine.Tokenizers.Vocab;

/// <summary>
/// The token table of one model: text, kind and (SentencePiece) score per id, and the reverse
/// lookup by text. Lookups take spans so that merging never allocates a string per candidate pair.
/// </summary>
public sealed class Vocabulary
{
    private readonly string[] _tokens;
    private readonly TokenKind[] _kinds;
    private readonly float[] _scores;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ids;

    public Vocabulary(string[] tokens, TokenKind[]? kinds = null, float[]? scores = null)
    {
        if (kinds is not null && kinds.Length != tokens.Length)
            throw new ArgumentException($"{kinds.Length} token kinds for {tokens.Length} tokens", nameof(kinds));
        if (scores is not null && scores.Length != tokens.Length)
            throw new ArgumentException($"{scores.Length} scores for {tokens.Length} tokens", nameof(scores));
        _tokens = tokens;
        _kinds = kinds ?? Enumerable.Repeat(TokenKind.Normal, tokens.Length).ToArray();
        _scores = scores ?? new float[tokens.Length];
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        // The last of duplicate texts wins, as in llama.cpp's token_to_id map.
        for (int i = 0; i < tokens.Length; i++)
            ids[tokens[i]] = i;
        _ids = ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _tokens.Length;

    public string Token(int id) => _tokens[id];

    public TokenKind Kind(int id) => _kinds[id];

    public float Score(int id) => _scores[id];

    public bool TryGetId(ReadOnlySpan<char> text, out int id) => _ids.TryGetValue(text, out id);

    public int? Find(string text) => _ids.TryGetValue(text, out int id) ? id : null;

    /// <summary>The ids of every token of one kind, in id order.</summary>
    public IEnumerable<int> IdsOfKind(TokenKind kind)
    {
        for (int i = 0; i < _kinds.Length; i++)
            if (_kinds[i] == kind)
                yield return i;
    }
}
