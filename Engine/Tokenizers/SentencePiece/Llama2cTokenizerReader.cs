using System.Buffers.Binary;
using System.Text;
using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.SentencePiece;

/// <summary>
/// llama2.c's <c>tokenizer.bin</c>: int32 max_token_length, then per token float32 score,
/// int32 byte length and the UTF-8 bytes. Pieces hold real spaces (not "▁"); ids 0, 1, 2 are
/// &lt;unk&gt;, BOS and EOS, and 3..258 the byte pieces (run.c's "byte + 3").
/// </summary>
public static class Llama2cTokenizerReader
{
    private const int BosId = 1;
    private const int EosId = 2;

    /// <param name="expectedVocabSize">The model header's vocab size: run.c reads exactly this many tokens.</param>
    public static SentencePieceTokenizer Read(string path, int? expectedVocabSize = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException(path, $"cannot read the llama2.c tokenizer ({e.Message})", e);
        }
        var (tokens, scores) = Parse(path, data, expectedVocabSize);
        var kinds = new TokenKind[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
        {
            kinds[i] = i switch
            {
                0 => TokenKind.Unknown,
                BosId or EosId => TokenKind.Control,
                _ when SentencePieceTokenizer.ParseBytePiece(tokens[i]) is not null => TokenKind.Byte,
                _ => TokenKind.Normal,
            };
        }
        var vocabulary = new Vocabulary(tokens, kinds, scores);
        var metadata = new TokenizerMetadata(BosId, [EosId], AddBos: true, ChatTemplate: null);
        // run.c never parses "\n<s>\n" out of prompt text, so neither do we by default.
        var options = new SentencePieceOptions { SpaceSymbol = " ", ParseSpecialByDefault = false };
        return new SentencePieceTokenizer(vocabulary, metadata, options);
    }

    private static (string[] Tokens, float[] Scores) Parse(string path, byte[] data, int? expectedVocabSize)
    {
        if (data.Length < 4)
            throw new ModelFormatException(path, $"truncated: {data.Length} bytes, too short for a llama2.c tokenizer header");
        int maxTokenLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (maxTokenLength is <= 0 or > 1 << 16)
            throw new ModelFormatException(path, $"max_token_length {maxTokenLength} is not plausible: not a llama2.c tokenizer");
        var tokens = new List<string>();
        var scores = new List<float>();
        int offset = 4;
        while (expectedVocabSize is int expected ? tokens.Count < expected : offset < data.Length)
        {
            int index = tokens.Count;
            if (offset + 8 > data.Length)
                throw new ModelFormatException(path, $"truncated at token {index}: the file ends at byte {data.Length}");
            float score = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset));
            int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 4));
            offset += 8;
            if (length < 0 || length > maxTokenLength)
                throw new ModelFormatException(path, $"token {index} has length {length}, outside 0..{maxTokenLength}");
            if (offset + length > data.Length)
                throw new ModelFormatException(path, $"truncated in token {index}: needs bytes up to {offset + length}, the file has {data.Length}");
            if (!float.IsFinite(score))
                throw new ModelFormatException(path, $"token {index} has score {score}");
            tokens.Add(Encoding.UTF8.GetString(data, offset, length));
            scores.Add(score);
            offset += length;
        }
        if (tokens.Count <= EosId)
            throw new ModelFormatException(path, $"only {tokens.Count} tokens: a llama2.c vocabulary starts with <unk>, BOS and EOS");
        return (tokens.ToArray(), scores.ToArray());
    }
}
