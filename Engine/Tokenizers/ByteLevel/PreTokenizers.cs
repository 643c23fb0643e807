namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>The pre-tokenizers of the byte-level BPE families, by GGUF <c>tokenizer.ggml.pre</c> name or by pattern.</summary>
public static class PreTokenizers
{
    public const string Llama3Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The pre-tokenizer llama.cpp uses for a GGUF <c>tokenizer.ggml.pre</c> value, or null if we do not know it.</summary>
    public static IPreTokenizer? ForGgufPre(string? pre) => pre switch
    {
        null or "default" or "gpt-2" or "gpt2" => new Gpt2PreTokenizer(),
        "llama-bpe" or "llama3" => new RegexPreTokenizer(Llama3Pattern),
        "qwen2" => new RegexPreTokenizer(Qwen2Pattern),
        _ => null,
    };

    /// <summary>The <c>tokenizer.ggml.pre</c> name llama.cpp knows a pre-tokenizer by, or null for one it has no name for.</summary>
    public static string? GgufName(IPreTokenizer preTokenizer) => preTokenizer switch
    {
        Gpt2PreTokenizer => "gpt-2",
        RegexPreTokenizer { Pattern: Llama3Pattern } => "llama-bpe",
        RegexPreTokenizer { Pattern: Qwen2Pattern } => "qwen2",
        _ => null,
    };

    /// <summary>Llama 3 keeps a word whole when it is already a token (llama.cpp's <c>ignore_merges</c>).</summary>
    public static bool IgnoresMerges(string? pre) => pre is "llama-bpe" or "llama3";

    /// <summary>A pre-tokenizer for a split pattern: GPT-2's runs on code points, any other through .NET regex.</summary>
    public static IPreTokenizer ForPattern(string pattern) =>
        pattern is Gpt2PreTokenizer.Pattern or Gpt2PreTokenizer.Pattern + @"|\s+"
            ? new Gpt2PreTokenizer()
            : new RegexPreTokenizer(pattern);
}
