using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.SentencePiece;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.Gguf;

/// <summary>
/// The vocabulary a GGUF file carries (<c>tokenizer.ggml.*</c>), read with llama.cpp's defaults:
/// "llama" is SentencePiece BPE, "gpt2" byte-level BPE with the pre-tokenizer named by
/// <c>tokenizer.ggml.pre</c>.
/// </summary>
public static class GgufTokenizerReader
{
    public static BpeTokenizer Read(string path)
    {
        using var gguf = GgufFile.Open(path);
        return Read(gguf);
    }

    public static BpeTokenizer Read(GgufFile gguf)
    {
        if (!gguf.Metadata.TryGetValue("tokenizer.ggml.model", out var modelValue) || modelValue is not string model)
            throw new ModelFormatException(gguf.Path, "no tokenizer: metadata key 'tokenizer.ggml.model' is missing");
        if (model is not ("llama" or "gpt2"))
            throw new ModelFormatException(gguf.Path, $"tokenizer model '{model}' is not supported (llama and gpt2 are)");
        string[] tokens = gguf.Metadata.TryGetValue("tokenizer.ggml.tokens", out var t) && t is string[] strings && strings.Length > 0
            ? strings
            : throw new ModelFormatException(gguf.Path, "no tokenizer: 'tokenizer.ggml.tokens' is missing or not a string array");
        var vocabulary = Vocabulary(gguf, tokens);
        return model switch
        {
            "llama" => SentencePiece(gguf, vocabulary),
            _ => ByteLevel(gguf, vocabulary),
        };
    }

    private static SentencePieceTokenizer SentencePiece(GgufFile gguf, Vocabulary vocabulary)
    {
        // llama.cpp's SPM defaults: <s> = 1, </s> = 2, BOS added, dummy-prefix space on.
        var metadata = Metadata(gguf, vocabulary, defaultBos: 1, defaultEos: 2, defaultAddBos: true);
        bool addSpacePrefix = gguf.GetOrDefault("tokenizer.ggml.add_space_prefix", true);
        var options = new SentencePieceOptions { SpacePrefix = addSpacePrefix ? SpacePrefix.Always : SpacePrefix.Never };
        return new SentencePieceTokenizer(vocabulary, metadata, options);
    }

    private static ByteLevelBpeTokenizer ByteLevel(GgufFile gguf, Vocabulary vocabulary)
    {
        if (!gguf.Metadata.TryGetValue("tokenizer.ggml.merges", out var m) || m is not string[] mergeTexts)
            throw new ModelFormatException(gguf.Path, "gpt2 tokenizer without 'tokenizer.ggml.merges'");
        var pairs = mergeTexts.Select(text => SplitMerge(gguf.Path, text));
        var merges = new RankMergeRule(vocabulary, pairs, out _);
        string? pre = gguf.GetOrDefault<string?>("tokenizer.ggml.pre", null);
        var preTokenizer = PreTokenizers.ForGgufPre(pre)
            ?? throw new ModelFormatException(gguf.Path, $"pre-tokenizer '{pre}' is not supported (gpt-2, llama-bpe and qwen2 are)");
        var metadata = Metadata(gguf, vocabulary, defaultBos: null, defaultEos: null, defaultAddBos: false);
        var options = new ByteLevelOptions { PreTokenizer = preTokenizer, IgnoreMerges = PreTokenizers.IgnoresMerges(pre) };
        return new ByteLevelBpeTokenizer(vocabulary, merges, metadata, options);
    }

    private static (string, string) SplitMerge(string path, string merge)
    {
        // The left side is at least one character, so the separator is searched from index 1 (as llama.cpp does).
        int space = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
        return space > 0
            ? (merge[..space], merge[(space + 1)..])
            : throw new ModelFormatException(path, $"merge '{merge}' is not two tokens separated by a space");
    }

    private static Vocabulary Vocabulary(GgufFile gguf, string[] tokens)
    {
        float[]? scores = null;
        if (gguf.Metadata.TryGetValue("tokenizer.ggml.scores", out var s))
            scores = s as float[] ?? throw new ModelFormatException(gguf.Path, "'tokenizer.ggml.scores' is not a float32 array");
        TokenKind[]? kinds = null;
        if (gguf.Metadata.TryGetValue("tokenizer.ggml.token_type", out var k))
        {
            int[] types = k as int[] ?? throw new ModelFormatException(gguf.Path, "'tokenizer.ggml.token_type' is not an int32 array");
            kinds = Array.ConvertAll(types, type => Enum.IsDefined((TokenKind)type) ? (TokenKind)type : TokenKind.Normal);
        }
        if (scores is not null && scores.Length != tokens.Length)
            throw new ModelFormatException(gguf.Path, $"{scores.Length} scores for {tokens.Length} tokens");
        if (kinds is not null && kinds.Length != tokens.Length)
            throw new ModelFormatException(gguf.Path, $"{kinds.Length} token types for {tokens.Length} tokens");
        return new Vocabulary(tokens, kinds, scores);
    }

    private static TokenizerMetadata Metadata(GgufFile gguf, Vocabulary vocabulary, int? defaultBos, int? defaultEos, bool defaultAddBos)
    {
        int? bos = TokenId(gguf, vocabulary, "tokenizer.ggml.bos_token_id") ?? defaultBos;
        // Generation ends at any end-of-generation token, as llama.cpp's EOG set: EOS, end-of-turn, end-of-message.
        var eos = new[] { "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id" }
            .Select(key => TokenId(gguf, vocabulary, key))
            .Prepend(gguf.Metadata.ContainsKey("tokenizer.ggml.eos_token_id") ? null : defaultEos)
            .OfType<int>()
            .Distinct()
            .ToArray();
        bool addBos = gguf.GetOrDefault("tokenizer.ggml.add_bos_token", defaultAddBos);
        string? template = gguf.GetOrDefault<string?>("tokenizer.chat_template", null);
        return new TokenizerMetadata(bos, eos, addBos && bos is not null, template);
    }

    private static int? TokenId(GgufFile gguf, Vocabulary vocabulary, string key)
    {
        if (!gguf.Metadata.ContainsKey(key))
            return null;
        long id = gguf.Get<long>(key);
        return id >= 0 && id < vocabulary.Count
            ? (int)id
            : throw new ModelFormatException(gguf.Path, $"'{key}' is {id}, outside the vocabulary of {vocabulary.Count}");
    }
}
