using System.Text;

namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>The knobs that differ between GPT-2, Llama 3 and Qwen2 style byte-level vocabularies.</summary>
public sealed record ByteLevelOptions
{
    public IPreTokenizer PreTokenizer { get; init; } = new Gpt2PreTokenizer();

    /// <summary>A word that is already a token is not merged (Llama 3's <c>ignore_merges</c>).</summary>
    public bool IgnoreMerges { get; init; }

    /// <summary>HF ByteLevel <c>add_prefix_space</c>: text that does not start with a space gets one.</summary>
    public bool AddPrefixSpace { get; init; }

    /// <summary>Unicode normalization before splitting (Qwen2's NFC normalizer), or null.</summary>
    public NormalizationForm? Normalization { get; init; }

    public bool ParseSpecialByDefault { get; init; } = true;
}
