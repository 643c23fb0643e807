namespace Cluster.Engine.Tokenizers.Vocab;

/// <summary>
/// Splits text around special tokens before any model-specific tokenization, as llama.cpp's
/// <c>tokenizer_st_partition</c> and HF's added-vocabulary split do. User-defined tokens always
/// match; control and unknown tokens only when special tokens are parsed (a chat template's
/// markers), so that user text that happens to spell "&lt;s&gt;" stays text otherwise.
/// </summary>
public sealed class SpecialTokenMatcher
{
    // Candidates by first character, longest first so that the longest special token wins.
    private readonly Dictionary<char, (string Text, int Id, bool AlwaysMatched)[]> _byFirstChar;

    public SpecialTokenMatcher(Vocabulary vocabulary)
    {
        var candidates = new List<(string Text, int Id, bool AlwaysMatched)>();
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var kind = vocabulary.Kind(id);
            string text = vocabulary.Token(id);
            if (text.Length > 0 && kind is TokenKind.Control or TokenKind.Unknown or TokenKind.UserDefined)
                candidates.Add((text, id, kind == TokenKind.UserDefined));
        }
        _byFirstChar = candidates
            .GroupBy(c => c.Text[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Text.Length).ThenBy(c => c.Id).ToArray());
    }

    public List<TextFragment> Split(string text, bool parseSpecial)
    {
        var fragments = new List<TextFragment>();
        int rawStart = 0;
        for (int i = 0; i < text.Length;)
        {
            int matched = Match(text, i, parseSpecial, out int length);
            if (matched < 0)
            {
                i++;
                continue;
            }
            if (i > rawStart)
                fragments.Add(new TextFragment(rawStart, i - rawStart, TextFragment.RawText));
            fragments.Add(new TextFragment(i, length, matched));
            i += length;
            rawStart = i;
        }
        if (text.Length > rawStart)
            fragments.Add(new TextFragment(rawStart, text.Length - rawStart, TextFragment.RawText));
        return fragments;
    }

    private int Match(string text, int position, bool parseSpecial, out int length)
    {
        length = 0;
        if (!_byFirstChar.TryGetValue(text[position], out var candidates))
            return -1;
        var rest = text.AsSpan(position);
        foreach (var (token, id, alwaysMatched) in candidates)
        {
            if ((alwaysMatched || parseSpecial) && rest.StartsWith(token, StringComparison.Ordinal))
            {
                length = token.Length;
                return id;
            }
        }
        return -1;
    }
}
