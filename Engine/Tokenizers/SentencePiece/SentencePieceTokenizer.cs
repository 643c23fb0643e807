using System.Globalization;
using System.Text;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.SentencePiece;

/// <summary>
/// SentencePiece BPE as llama2.c's <c>encode</c> and llama.cpp's <c>llm_tokenizer_spm</c> do it:
/// spaces become "▁" (plus a dummy prefix space), every character starts as one symbol, the best
/// pair merges until none is left, and characters outside the vocabulary fall back to
/// <c>&lt;0xXX&gt;</c> byte pieces.
/// </summary>
public sealed class SentencePieceTokenizer : BpeTokenizer
{
    private readonly SentencePieceOptions _options;
    private readonly BpeMerger _merger;
    private readonly int[] _byteIds;
    private readonly int? _unknownId;

    public SentencePieceTokenizer(Vocabulary vocabulary, TokenizerMetadata metadata, SentencePieceOptions options)
        : base(vocabulary, metadata, options.ParseSpecialByDefault)
    {
        _options = options;
        _merger = new BpeMerger(options.MergeRule ?? new ScoreMergeRule(vocabulary));
        _byteIds = ByteIds(vocabulary);
        _unknownId = vocabulary.IdsOfKind(TokenKind.Unknown).Cast<int?>().FirstOrDefault();
    }

    public SentencePieceOptions Options => _options;

    /// <summary>The byte a <c>&lt;0xXX&gt;</c> piece stands for, or null for any other text.</summary>
    public static byte? ParseBytePiece(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
            && byte.TryParse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b)
            ? b : null;

    protected override void EncodeRaw(string text, bool atTextStart, bool afterSpecial, List<int> output)
    {
        bool prefix = _options.SpacePrefix switch
        {
            SpacePrefix.Always => afterSpecial,
            SpacePrefix.First => atTextStart,
            _ => false,
        };
        string escaped = prefix ? " " + text : text;
        if (_options.SpaceSymbol != " ")
            escaped = escaped.Replace(" ", _options.SpaceSymbol, StringComparison.Ordinal);

        var symbols = new List<SymbolSpan>();
        foreach (var word in Words(escaped))
        {
            symbols.Clear();
            // One symbol per code point; a surrogate pair stays whole.
            for (int i = word.Start; i < word.Start + word.Length;)
            {
                int length = char.IsHighSurrogate(escaped[i]) && i + 1 < escaped.Length && char.IsLowSurrogate(escaped[i + 1]) ? 2 : 1;
                symbols.Add(new SymbolSpan(i, length));
                i += length;
            }
            _merger.Merge(escaped, symbols);
            foreach (var symbol in symbols)
                Emit(escaped.AsSpan(symbol.Start, symbol.Length), output);
        }
    }

    protected override byte[] PieceBytes(int id)
    {
        string piece = Vocabulary.Token(id);
        if (Vocabulary.Kind(id) == TokenKind.Byte && ParseBytePiece(piece) is byte b)
            return [b];
        return Encoding.UTF8.GetBytes(piece.Replace(_options.SpaceSymbol, " ", StringComparison.Ordinal));
    }

    /// <summary>The dummy-prefix space is not part of the text: the first piece (or one right after BOS) drops it.</summary>
    protected override ReadOnlySpan<byte> AdjustForPrevious(byte[] bytes, int? previousId)
    {
        bool startsText = previousId is not int previous || Vocabulary.Kind(previous) == TokenKind.Control;
        return startsText && _options.SpacePrefix != SpacePrefix.Never && bytes.Length > 0 && bytes[0] == (byte)' '
            ? bytes.AsSpan(1)
            : bytes;
    }

    private IEnumerable<SymbolSpan> Words(string escaped)
    {
        if (!_options.SplitAtSpaces)
        {
            yield return new SymbolSpan(0, escaped.Length);
            yield break;
        }
        int start = 0;
        for (int i = 1; i <= escaped.Length; i++)
        {
            if (i == escaped.Length || escaped.AsSpan(i).StartsWith(_options.SpaceSymbol, StringComparison.Ordinal))
            {
                yield return new SymbolSpan(start, i - start);
                start = i;
            }
        }
    }

    private void Emit(ReadOnlySpan<char> symbol, List<int> output)
    {
        if (Vocabulary.TryGetId(symbol, out int id))
        {
            output.Add(id);
            return;
        }
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(symbol.Length)];
        utf8 = utf8[..Encoding.UTF8.GetBytes(symbol, utf8)];
        bool allBytesKnown = true;
        foreach (byte b in utf8)
            allBytesKnown &= _byteIds[b] >= 0;
        if (allBytesKnown)
        {
            foreach (byte b in utf8)
                output.Add(_byteIds[b]);
        }
        else if (_unknownId is int unknown)
        {
            // Without byte pieces SentencePiece maps the whole unknown character to one <unk>.
            output.Add(unknown);
        }
        else
        {
            throw new InvalidOperationException($"'{symbol}' is not in the vocabulary, which has neither byte pieces nor an unknown token");
        }
    }

    private static int[] ByteIds(Vocabulary vocabulary)
    {
        var ids = Enumerable.Repeat(-1, 256).ToArray();
        foreach (int id in vocabulary.IdsOfKind(TokenKind.Byte))
            if (ParseBytePiece(vocabulary.Token(id)) is byte b && ids[b] < 0)
                ids[b] = id;
        return ids;
    }
}
