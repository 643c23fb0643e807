namespace Cluster.TestSupport;

/// <summary>Sentences the encoder tests embed and tokenize: short, long, punctuation, numbers, non-ASCII, past 512 tokens.</summary>
public static class EncoderSentences
{
    /// <summary>Sentences on which the reference package's tokenizer agrees with Hugging Face's BertTokenizer.</summary>
    public static readonly string[] Plain =
    [
        "hello world",
        "The quick brown fox jumps over the lazy dog.",
        "A man is eating food.",
        "A man is riding a white horse on an enclosed ground.",
        "don't won't can't I'm you're",
        "e-mail: someone@example.com, url: https://example.org/path?q=1&x=2",
        "numbers 3.14159 and 1,000,000 and 42nd",
        "UPPER lower MiXeD case",
        "supercalifragilisticexpialidocious antidisestablishmentarianism",
        "Привет мир",
        "a",
        "!!!???...",
        "   leading and trailing spaces   ",
        "Semantic search finds documents by meaning rather than by keywords.",
        "Embeddings map sentences to vectors; similar sentences lie close together.",
        "The weather is lovely today (sunny, 24 °C) — perfect for a walk!",
        "Retrieval-augmented generation grounds a language model's answer in retrieved passages.",
        "How do I reset my password? I forgot it yesterday.",
        "Pipeline parallelism cuts a model into stages; each stage holds a contiguous range of layers.",
        "Orleans grains are virtual actors: they always exist, and the runtime activates them on demand.",
    ];

    /// <summary>Sentences on which the reference package's tokenizer departs from Hugging Face's (accents, CJK, control characters, special tokens).</summary>
    public static readonly string[] Departing =
    [
        "Héllo, naïve café! Crème brûlée?",
        "東京は日本の首都です。",
        "tabs\tand\nnewlines\r\nhere",
        "[CLS] [SEP] [MASK] literal tokens",
        "Straße Œuvre æsir",
    ];

    /// <summary>600 words: past the model's 512 positions.</summary>
    public static readonly string Long = "x" + string.Concat(Enumerable.Repeat(" token", 600));
}
