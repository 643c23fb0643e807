using System.Text;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>
/// Byte-level BPE as GPT-2, Llama 3 and Qwen2 use it (llama.cpp's <c>llm_tokenizer_bpe</c>, HF's
/// ByteLevel + BPE): the pre-tokenizer splits text into words, each word's UTF-8 bytes are
/// spelled with <see cref="ByteToUnicode"/>, and merges apply in merges-list order.
/// </summary>
public sealed class ByteLevelBpeTokenizer : BpeTokenizer
{
    private readonly ByteLevelOptions _options;
    private readonly BpeMerger _merger;
    private readonly int? _unknownId;

    public ByteLevelBpeTokenizer(Vocabulary vocabulary, RankMergeRule merges, TokenizerMetadata metadata, ByteLevelOptions options)
        : base(vocabulary, metadata, options.ParseSpecialByDefault)
    {
        _options = options;
        Merges = merges;
        _merger = new BpeMerger(merges);
        _unknownId = vocabulary.IdsOfKind(TokenKind.Unknown).Cast<int?>().FirstOrDefault();
    }

    public RankMergeRule Merges { get; }

    public ByteLevelOptions Options => _options;

    protected override void EncodeRaw(string text, bool atTextStart, bool afterSpecial, List<int> output)
    {
        if (_options.Normalization is NormalizationForm form)
            text = text.Normalize(form);
        if (_options.AddPrefixSpace && !text.StartsWith(' '))
            text = " " + text;

        var words = new List<SymbolSpan>();
        _options.PreTokenizer.Split(text, words);
        var symbols = new List<SymbolSpan>();
        foreach (var word in words)
        {
            string spelled = ByteToUnicode.Encode(Encoding.UTF8.GetBytes(text.Substring(word.Start, word.Length)));
            if (_options.IgnoreMerges && Vocabulary.TryGetId(spelled, out int whole))
            {
                output.Add(whole);
                continue;
            }
            symbols.Clear();
            for (int i = 0; i < spelled.Length; i++)
                symbols.Add(new SymbolSpan(i, 1));
            _merger.Merge(spelled, symbols);
            foreach (var symbol in symbols)
                Emit(spelled.AsSpan(symbol.Start, symbol.Length), output);
        }
    }

    protected override byte[] PieceBytes(int id)
    {
        string piece = Vocabulary.Token(id);
        // Added (user-defined) tokens are stored as the text they stand for, not byte-spelled.
        if (Vocabulary.Kind(id) == TokenKind.UserDefined)
            return Encoding.UTF8.GetBytes(piece);
        var bytes = new List<byte>(piece.Length);
        foreach (char c in piece)
        {
            if (ByteToUnicode.TryDecode(c, out byte b))
                bytes.Add(b);
            else
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return bytes.ToArray();
    }

    private void Emit(ReadOnlySpan<char> symbol, List<int> output)
    {
        if (Vocabulary.TryGetId(symbol, out int id))
        {
            output.Add(id);
            return;
        }
        // A merge result missing from the vocabulary (a damaged file): fall back to one token per byte.
        foreach (char c in symbol)
        {
            if (Vocabulary.TryGetId([c], out int byteId))
                output.Add(byteId);
            else if (_unknownId is int unknown)
                output.Add(unknown);
        }
    }
}
