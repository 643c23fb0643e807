using System.Text;

namespace Cluster.Engine.Tokenizers;

/// <summary>
/// Turns generated ids into text as they arrive. A character split over byte-fallback or
/// byte-level tokens comes out only once its last byte has arrived; <see cref="Flush"/> ends the
/// stream and turns a dangling partial character into U+FFFD.
/// </summary>
/// <param name="tokenizer">the model's vocabulary.</param>
/// <param name="previousId">the last prompt token when the text continues a prompt, so the first
/// generated piece keeps its leading space; null when the ids start the text.</param>
public sealed class StreamingDetokenizer(ITextTokenizer tokenizer, int? previousId = null)
{
    // A stateful UTF-8 decoder keeps an incomplete trailing sequence back between calls.
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private int? _previousId = previousId;

    /// <summary>The text that <paramref name="id"/> completes; empty while a character is still partial.</summary>
    public string Push(int id)
    {
        var bytes = tokenizer.TokenBytes(id, _previousId);
        _previousId = id;
        return Decode(bytes, flush: false);
    }

    /// <summary>Ends the stream: whatever is held back comes out, an incomplete character as U+FFFD.</summary>
    public string Flush()
    {
        string rest = Decode([], flush: true);
        _previousId = null;
        return rest;
    }

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        // At most three held-back bytes can join the new ones, each yielding at most one char.
        Span<char> chars = bytes.Length + 4 <= 256 ? stackalloc char[bytes.Length + 4] : new char[bytes.Length + 4];
        int count = _decoder.GetChars(bytes, chars, flush);
        return new string(chars[..count]);
    }
}
