using System.Text;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.Bpe;

/// <summary>
/// What SentencePiece-BPE and byte-level BPE tokenizers share: special tokens split out first,
/// BOS, and decoding through per-token bytes. Subclasses say how raw text becomes ids and what
/// bytes an ordinary token stands for.
/// </summary>
public abstract class BpeTokenizer : ITextTokenizer
{
    private readonly SpecialTokenMatcher _specials;
    private readonly byte[]?[] _pieceBytes;

    protected BpeTokenizer(Vocabulary vocabulary, TokenizerMetadata metadata, bool parseSpecialByDefault)
    {
        Vocabulary = vocabulary;
        Metadata = metadata;
        ParseSpecialByDefault = parseSpecialByDefault;
        _specials = new SpecialTokenMatcher(vocabulary);
        _pieceBytes = new byte[vocabulary.Count][];
    }

    public Vocabulary Vocabulary { get; }

    public TokenizerMetadata Metadata { get; }

    /// <summary>
    /// Whether <see cref="Encode(string, bool)"/> turns the text of control tokens into their ids.
    /// True where prompts come from chat templates (GGUF, HF); llama2.c's run.c never does it.
    /// </summary>
    public bool ParseSpecialByDefault { get; }

    public int VocabSize => Vocabulary.Count;

    public int? BosId => Metadata.BosId;

    public IReadOnlyList<int> EosIds => Metadata.EosIds;

    public string? ChatTemplate => Metadata.ChatTemplate;

    /// <summary>Whether the model's files ask for BOS at the start of a prompt.</summary>
    public bool AddBos => Metadata.AddBos;

    public IReadOnlyList<int> Encode(string text, bool addBos) => Encode(text, addBos, ParseSpecialByDefault);

    /// <summary>
    /// Text to ids. With <paramref name="parseSpecial"/> false, control tokens are tokenized as
    /// plain text (llama.cpp's <c>parse_special = false</c>); user-defined tokens always match.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addBos, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addBos && BosId is int bos)
            ids.Add(bos);
        bool afterSpecial = true;
        foreach (var fragment in _specials.Split(text, parseSpecial))
        {
            if (fragment.IsRaw)
            {
                EncodeRaw(text.Substring(fragment.Start, fragment.Length), fragment.Start == 0, afterSpecial, ids);
                afterSpecial = false;
            }
            else
            {
                ids.Add(fragment.TokenId);
                afterSpecial = true;
            }
        }
        return ids;
    }

    public ReadOnlySpan<byte> TokenBytes(int id, int? previousId)
    {
        if ((uint)id >= (uint)Vocabulary.Count)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id outside the vocabulary of {Vocabulary.Count}");
        if (Vocabulary.Kind(id) == TokenKind.Control)
            return [];
        // Filled on first use: a benign race at worst computes the same bytes twice.
        var bytes = _pieceBytes[id] ??= PieceBytes(id);
        return AdjustForPrevious(bytes, previousId);
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>(ids.Count * 4);
        int? previous = null;
        foreach (int id in ids)
        {
            bytes.AddRange(TokenBytes(id, previous));
            previous = id;
        }
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    /// <summary>
    /// Tokenizes text that holds no special tokens. <paramref name="atTextStart"/>: the fragment
    /// begins the whole input; <paramref name="afterSpecial"/>: it begins the input or follows a
    /// special token (where SentencePiece adds its dummy-prefix space).
    /// </summary>
    protected abstract void EncodeRaw(string text, bool atTextStart, bool afterSpecial, List<int> output);

    /// <summary>The bytes a non-control token stands for, in the middle of a text.</summary>
    protected abstract byte[] PieceBytes(int id);

    /// <summary>Where a token's bytes depend on what precedes it (SentencePiece's leading space).</summary>
    protected virtual ReadOnlySpan<byte> AdjustForPrevious(byte[] bytes, int? previousId) => bytes;
}
