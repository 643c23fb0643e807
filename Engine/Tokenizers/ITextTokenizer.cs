namespace Cluster.Engine.Tokenizers;

/// <summary>
/// Text to token ids and back, for one model's vocabulary. Decoding goes through bytes so that a
/// character split over several tokens (byte-fallback or byte-level vocabularies) is rebuilt
/// whole by <see cref="StreamingDetokenizer"/>.
/// </summary>
public interface ITextTokenizer
{
    int VocabSize { get; }

    int? BosId { get; }

    IReadOnlyList<int> EosIds { get; }

    /// <summary>The Jinja chat template the model's files carry, if any.</summary>
    string? ChatTemplate { get; }

    IReadOnlyList<int> Encode(string text, bool addBos);

    /// <summary>
    /// The bytes token <paramref name="id"/> adds to the text when it follows
    /// <paramref name="previousId"/> (null at the start): SentencePiece vocabularies drop the
    /// leading space of the first piece; control tokens (BOS, EOS) add nothing.
    /// </summary>
    ReadOnlySpan<byte> TokenBytes(int id, int? previousId);

    /// <summary>The text of a whole id sequence.</summary>
    string Decode(IReadOnlyList<int> ids);
}
