using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.SentencePiece;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.Gguf;

/// <summary>
/// The inverse of <see cref="GgufTokenizerReader"/>: a tokenizer as <c>tokenizer.ggml.*</c>
/// metadata that the reader (and llama.cpp) turn back into the same ids for the same text.
/// SentencePiece vocabularies become model "llama", byte-level BPE "gpt2" with its merges, and
/// the file-less byte vocabulary "gpt2" with no merges (every byte its own token, ids unchanged).
/// </summary>
public static class GgufTokenizerWriter
{
    private const string SpaceSymbol = "\u2581";

    public static void AddTo(GgufWriter writer, ITextTokenizer tokenizer)
    {
        switch (tokenizer)
        {
            case SentencePieceTokenizer sentencePiece:
                AddSentencePiece(writer, sentencePiece);
                break;
            case ByteLevelBpeTokenizer byteLevel:
                AddByteLevel(writer, byteLevel);
                break;
            case ByteTokenizer bytes:
                AddBytes(writer, bytes);
                break;
            default:
                throw new NotSupportedException($"a {tokenizer.GetType().Name} cannot be written to GGUF (SentencePiece, byte-level BPE and byte vocabularies can)");
        }
    }

    private static void AddSentencePiece(GgufWriter writer, SentencePieceTokenizer tokenizer)
    {
        var options = tokenizer.Options;
        // GGUF "llama" vocabularies merge by piece score; a tokenizer.json ranks its merges by list position instead, which GGUF cannot say.
        if (options.MergeRule is not null)
            throw new NotSupportedException(
                "this SentencePiece-style tokenizer merges by a ranked merges list (an HF tokenizer.json); GGUF's llama vocabulary merges by piece score. Export with a tokenizer.model-derived vocabulary (llama2.c tokenizer.bin or a .gguf) via --tokenizer");
        if (options.SplitAtSpaces)
            throw new NotSupportedException("a SentencePiece vocabulary that splits words at spaces (HF Metaspace split) has no GGUF llama equivalent");
        var vocabulary = tokenizer.Vocabulary;
        var tokens = new string[vocabulary.Count];
        var scores = new float[vocabulary.Count];
        var types = new int[vocabulary.Count];
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var kind = vocabulary.Kind(id);
            // llama2.c's tokenizer.bin spells spaces as spaces; GGUF, like SentencePiece itself, as "▁".
            tokens[id] = kind is TokenKind.Normal or TokenKind.Unused && options.SpaceSymbol != SpaceSymbol
                ? vocabulary.Token(id).Replace(options.SpaceSymbol, SpaceSymbol, StringComparison.Ordinal)
                : vocabulary.Token(id);
            scores[id] = vocabulary.Score(id);
            types[id] = (int)kind;
        }
        writer.Add("tokenizer.ggml.model", GgufMetadataValue.String("llama"))
            .Add("tokenizer.ggml.tokens", GgufMetadataValue.Strings(tokens))
            .Add("tokenizer.ggml.scores", GgufMetadataValue.Float32s(scores))
            .Add("tokenizer.ggml.token_type", GgufMetadataValue.Int32s(types))
            // SpacePrefix.First (prefix only at the very start) has no GGUF key; llama.cpp prefixes after specials too.
            .Add("tokenizer.ggml.add_space_prefix", GgufMetadataValue.Bool(options.SpacePrefix != SpacePrefix.Never));
        if (vocabulary.IdsOfKind(TokenKind.Unknown).Cast<int?>().FirstOrDefault() is int unknown)
            writer.Add("tokenizer.ggml.unknown_token_id", GgufMetadataValue.UInt32((uint)unknown));
        AddSpecialIds(writer, tokenizer.Metadata);
    }

    private static void AddByteLevel(GgufWriter writer, ByteLevelBpeTokenizer tokenizer)
    {
        var options = tokenizer.Options;
        string pre = PreTokenizers.GgufName(options.PreTokenizer)
            ?? throw new NotSupportedException("this byte-level tokenizer's pre-tokenizer has no tokenizer.ggml.pre name llama.cpp knows (gpt-2, llama-bpe and qwen2 do)");
        if (options.AddPrefixSpace)
            throw new NotSupportedException("a byte-level tokenizer that adds a prefix space has no GGUF gpt2 equivalent");
        if (options.IgnoreMerges != PreTokenizers.IgnoresMerges(pre))
            throw new NotSupportedException($"ignore_merges = {options.IgnoreMerges} disagrees with what llama.cpp assumes for pre-tokenizer '{pre}'");
        var vocabulary = tokenizer.Vocabulary;
        var tokens = Enumerable.Range(0, vocabulary.Count).Select(vocabulary.Token).ToArray();
        var types = Enumerable.Range(0, vocabulary.Count).Select(id => (int)vocabulary.Kind(id)).ToArray();
        var merges = tokenizer.Merges.Pairs.Select(pair => $"{pair.Left} {pair.Right}").ToArray();
        writer.Add("tokenizer.ggml.model", GgufMetadataValue.String("gpt2"))
            .Add("tokenizer.ggml.pre", GgufMetadataValue.String(pre))
            .Add("tokenizer.ggml.tokens", GgufMetadataValue.Strings(tokens))
            .Add("tokenizer.ggml.token_type", GgufMetadataValue.Int32s(types))
            .Add("tokenizer.ggml.merges", GgufMetadataValue.Strings(merges));
        AddSpecialIds(writer, tokenizer.Metadata);
    }

    /// <summary>
    /// Ids 0..2 control tokens, 3..258 the bytes spelled as GPT-2 does, the rest unused control
    /// tokens (they decode to nothing, as in <see cref="ByteTokenizer"/>). Without merges, every
    /// byte stays its own token, so ids are exactly the byte vocabulary's.
    /// </summary>
    private static void AddBytes(GgufWriter writer, ByteTokenizer tokenizer)
    {
        const int firstByte = 3;
        var tokens = new string[tokenizer.VocabSize];
        var types = new int[tokenizer.VocabSize];
        for (int id = 0; id < tokens.Length; id++)
        {
            bool isByte = id is >= firstByte and < firstByte + 256;
            tokens[id] = id switch
            {
                0 => "<unk>",
                1 => "<s>",
                2 => "</s>",
                _ when isByte => ByteToUnicode.Encode((byte)(id - firstByte)).ToString(),
                _ => $"<unused{id}>",
            };
            types[id] = (int)(isByte ? TokenKind.Normal : TokenKind.Control);
        }
        writer.Add("tokenizer.ggml.model", GgufMetadataValue.String("gpt2"))
            .Add("tokenizer.ggml.pre", GgufMetadataValue.String("gpt-2"))
            .Add("tokenizer.ggml.tokens", GgufMetadataValue.Strings(tokens))
            .Add("tokenizer.ggml.token_type", GgufMetadataValue.Int32s(types))
            .Add("tokenizer.ggml.merges", GgufMetadataValue.Strings([]));
        AddSpecialIds(writer, new TokenizerMetadata(tokenizer.BosId, tokenizer.EosIds, AddBos: true, tokenizer.ChatTemplate));
    }

    private static void AddSpecialIds(GgufWriter writer, TokenizerMetadata metadata)
    {
        if (metadata.BosId is int bos)
            writer.Add("tokenizer.ggml.bos_token_id", GgufMetadataValue.UInt32((uint)bos));
        // The reader treats EOS and end-of-turn alike as stops; a second stop id goes in the end-of-turn key.
        if (metadata.EosIds.Count > 0)
            writer.Add("tokenizer.ggml.eos_token_id", GgufMetadataValue.UInt32((uint)metadata.EosIds[0]));
        if (metadata.EosIds.Count > 1)
            writer.Add("tokenizer.ggml.eot_token_id", GgufMetadataValue.UInt32((uint)metadata.EosIds[1]));
        if (metadata.EosIds.Count > 2)
            writer.Add("tokenizer.ggml.eom_token_id", GgufMetadataValue.UInt32((uint)metadata.EosIds[2]));
        writer.Add("tokenizer.ggml.add_bos_token", GgufMetadataValue.Bool(metadata.AddBos));
        if (metadata.ChatTemplate is { } template)
            writer.Add("tokenizer.chat_template", GgufMetadataValue.String(template));
    }
}
