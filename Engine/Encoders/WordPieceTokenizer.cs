using System.Globalization;
using System.Text;
using System.Text.Json;
using Cluster.Engine.Formats;

namespace Cluster.Engine.Encoders;

/// <summary>
/// BERT's WordPiece tokenizer as Hugging Face's <c>BertTokenizer</c> runs it: special tokens in the
/// text kept whole, control characters dropped and every whitespace a space, CJK ideographs split
/// apart, lower-casing and accent stripping (NFD, marks removed) where the model is uncased, words
/// split at punctuation, then each word cut greedily into the longest pieces of the vocabulary
/// (<c>##</c> marking a continuation; a word that cannot be cut, or of more than 100 characters,
/// is <c>[UNK]</c>). Encoded inputs are <c>[CLS] … [SEP]</c>.
/// </summary>
public sealed class WordPieceTokenizer
{
    private const string ContinuationPrefix = "##";
    private const int MaxCharactersPerWord = 100;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly string[] _specialTokens;
    private readonly bool _lowerCase, _stripAccents, _splitCjk;

    public WordPieceTokenizer(IReadOnlyList<string> vocabulary, bool lowerCase = true, bool? stripAccents = null, bool splitCjk = true, string source = "vocabulary")
    {
        _vocabulary = new Dictionary<string, int>(vocabulary.Count, StringComparer.Ordinal);
        for (int id = 0; id < vocabulary.Count; id++) _vocabulary.TryAdd(vocabulary[id], id);
        (_lowerCase, _stripAccents, _splitCjk) = (lowerCase, stripAccents ?? lowerCase, splitCjk);
        ClsId = Require("[CLS]", source);
        SepId = Require("[SEP]", source);
        UnknownId = Require("[UNK]", source);
        PadId = _vocabulary.GetValueOrDefault("[PAD]", 0);
        _specialTokens = new[] { "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[MASK]" }.Where(_vocabulary.ContainsKey).ToArray();
        VocabularySize = vocabulary.Count;
    }

    public int ClsId { get; }
    public int SepId { get; }
    public int UnknownId { get; }
    public int PadId { get; }
    public int VocabularySize { get; }

    /// <summary>
    /// Reads <c>vocab.txt</c> (one piece per line, the line number its id) and the casing settings
    /// of <c>tokenizer_config.json</c> (<c>do_lower_case</c>, <c>strip_accents</c>,
    /// <c>tokenize_chinese_chars</c>; uncased when absent, as BERT's default); without
    /// <c>vocab.txt</c>, the WordPiece model and BertNormalizer of <c>tokenizer.json</c>.
    /// </summary>
    public static WordPieceTokenizer Load(string directory)
    {
        string vocabPath = Path.Combine(directory, "vocab.txt");
        if (!File.Exists(vocabPath))
        {
            string json = Path.Combine(directory, "tokenizer.json");
            return File.Exists(json) ? FromTokenizerJson(json)
                : throw new ModelFormatException(directory, "neither vocab.txt nor tokenizer.json is present: an encoder's WordPiece tokenizer is read from one of them");
        }
        var vocabulary = File.ReadAllLines(vocabPath);
        if (vocabulary.Length == 0) throw new ModelFormatException(vocabPath, "the vocabulary is empty");
        string configPath = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(configPath)) return new WordPieceTokenizer(vocabulary, source: vocabPath);
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(configPath));
            var root = json.RootElement;
            return new WordPieceTokenizer(vocabulary, Flag(root, "do_lower_case") ?? true, Flag(root, "strip_accents"), Flag(root, "tokenize_chinese_chars") ?? true, vocabPath);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(configPath, $"not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>A Hugging Face <c>tokenizer.json</c> whose model is WordPiece (its vocabulary by id) with a BertNormalizer.</summary>
    private static WordPieceTokenizer FromTokenizerJson(string path)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("type", out var type) || type.GetString() != "WordPiece")
                throw new ModelFormatException(path, "the tokenizer's model is not WordPiece: an encoder needs BERT's tokenizer");
            var entries = model.GetProperty("vocab").EnumerateObject().Select(p => (Piece: p.Name, Id: p.Value.GetInt32())).ToArray();
            var vocabulary = new string[entries.Length == 0 ? 0 : entries.Max(e => e.Id) + 1];
            foreach (var (piece, id) in entries)
                vocabulary[id >= 0 ? id : throw new ModelFormatException(path, $"the piece '{piece}' has a negative id")] = piece;
            if (vocabulary.Length == 0 || vocabulary.Any(p => p is null))
                throw new ModelFormatException(path, "the WordPiece vocabulary is empty or its ids have gaps");
            var normalizer = root.TryGetProperty("normalizer", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
            return new WordPieceTokenizer(vocabulary, Flag(normalizer, "lowercase") ?? true, Flag(normalizer, "strip_accents"), Flag(normalizer, "handle_chinese_chars") ?? true, path);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ModelFormatException(path, $"not a readable tokenizer.json: {e.Message}", e);
        }
    }

    /// <summary>A true or false field of a JSON object; null when the object lacks it or it is not a boolean (HF writes null for "as lower-casing says").</summary>
    private static bool? Flag(JsonElement settings, string name) =>
        settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;

    /// <summary>The text's pieces, without <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public List<int> Tokenize(string text)
    {
        var ids = new List<int>();
        foreach (var (segment, special) in SplitOnSpecialTokens(text))
        {
            if (special is { } id) ids.Add(id);
            else foreach (var word in BasicTokens(segment)) AddPieces(word, ids);
        }
        return ids;
    }

    /// <summary>
    /// <c>[CLS] pieces [SEP]</c>, at most <paramref name="maxTokens"/> long: longer inputs keep their
    /// first pieces when <paramref name="truncate"/>, else fail naming both lengths.
    /// </summary>
    public int[] Encode(string text, int maxTokens, bool truncate)
    {
        var pieces = Tokenize(text);
        return Frame(pieces, maxTokens, truncate);
    }

    /// <summary>Ids given by the caller, framed as <see cref="Encode"/> frames pieces.</summary>
    public int[] Frame(IReadOnlyList<int> pieces, int maxTokens, bool truncate)
    {
        int room = maxTokens - 2;
        if (pieces.Count > room && !truncate)
            throw new ArgumentException($"the input is {pieces.Count + 2} tokens, more than the model's {maxTokens}");
        int kept = Math.Min(pieces.Count, room);
        var ids = new int[kept + 2];
        ids[0] = ClsId;
        for (int i = 0; i < kept; i++) ids[i + 1] = pieces[i];
        ids[^1] = SepId;
        return ids;
    }

    private int Require(string token, string source) =>
        _vocabulary.TryGetValue(token, out int id) ? id : throw new ModelFormatException(source, $"the vocabulary has no {token} token");

    private IEnumerable<(string Text, int? Special)> SplitOnSpecialTokens(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int at = -1;
            string? found = null;
            foreach (var token in _specialTokens)
            {
                int index = text.IndexOf(token, start, StringComparison.Ordinal);
                if (index >= 0 && (at < 0 || index < at)) (at, found) = (index, token);
            }
            if (found is null)
            {
                yield return (text[start..], null);
                yield break;
            }
            if (at > start) yield return (text[start..at], null);
            yield return (found, _vocabulary[found]);
            start = at + found.Length;
        }
    }

    /// <summary>HF's BasicTokenizer: clean, split CJK, split on whitespace, case and accents, split at punctuation.</summary>
    private IEnumerable<string> BasicTokens(string text)
    {
        var cleaned = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) cleaned.Append(' ');
            else if (_splitCjk && IsCjk(rune.Value)) cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            else cleaned.Append(rune.ToString());
        }
        foreach (var word in cleaned.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string cased = _lowerCase ? word.ToLowerInvariant() : word;
            if (_stripAccents) cased = StripAccents(cased);
            foreach (var part in SplitOnPunctuation(cased)) yield return part;
        }
    }

    private static string StripAccents(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) kept.Append(rune.ToString());
        return kept.ToString();
    }

    private static IEnumerable<string> SplitOnPunctuation(string word)
    {
        var current = new StringBuilder();
        foreach (var rune in word.EnumerateRunes())
        {
            if (!IsPunctuation(rune))
            {
                current.Append(rune.ToString());
                continue;
            }
            if (current.Length > 0) yield return current.ToString();
            current.Clear();
            yield return rune.ToString();
        }
        if (current.Length > 0) yield return current.ToString();
    }

    /// <summary>Greedy longest-match-first WordPiece; a word with a part no piece matches is one <c>[UNK]</c>.</summary>
    private void AddPieces(string word, List<int> ids)
    {
        var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (runes.Length > MaxCharactersPerWord)
        {
            ids.Add(UnknownId);
            return;
        }
        int first = ids.Count, start = 0;
        while (start < runes.Length)
        {
            int end = runes.Length, matched = -1;
            for (; end > start; end--)
            {
                string piece = string.Concat(runes[start..end]);
                if (start > 0) piece = ContinuationPrefix + piece;
                if (_vocabulary.TryGetValue(piece, out matched)) break;
                matched = -1;
            }
            if (matched < 0)
            {
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(UnknownId);
                return;
            }
            ids.Add(matched);
            start = end;
        }
    }

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    private static bool IsPunctuation(Rune rune)
    {
        int cp = rune.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks, as BERT's tokenizer lists them (not kana or hangul).</summary>
    private static bool IsCjk(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
