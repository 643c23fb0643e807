using Cluster.Engine.Tokenizers.Bpe;

namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>Splits text into words that BPE merges separately (the GPT-2 family's regex step).</summary>
public interface IPreTokenizer
{
    /// <summary>Appends the words of <paramref name="text"/>, in order, covering all of it.</summary>
    void Split(string text, List<SymbolSpan> words);
}
