using System.Text.RegularExpressions;
using Cluster.Engine.Tokenizers.Bpe;

namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>
/// A split regex whose matches and the text between them are both words (HF <c>Split</c> with
/// behavior "Isolated", llama.cpp's regex split), for Llama-3- and Qwen2-style patterns.
/// </summary>
public sealed class RegexPreTokenizer(Regex regex) : IPreTokenizer
{
    public RegexPreTokenizer(string pattern)
        : this(new Regex(pattern, RegexOptions.CultureInvariant))
    {
    }

    public string Pattern => regex.ToString();

    public void Split(string text, List<SymbolSpan> words)
    {
        int last = 0;
        foreach (var match in regex.EnumerateMatches(text))
        {
            if (match.Index > last)
                words.Add(new SymbolSpan(last, match.Index - last));
            if (match.Length > 0)
                words.Add(new SymbolSpan(match.Index, match.Length));
            last = match.Index + match.Length;
        }
        if (text.Length > last)
            words.Add(new SymbolSpan(last, text.Length - last));
    }
}
