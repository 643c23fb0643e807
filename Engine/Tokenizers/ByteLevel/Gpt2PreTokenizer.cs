using System.Text;
using Cluster.Engine.Tokenizers.Bpe;

namespace Cluster.Engine.Tokenizers.ByteLevel;

/// <summary>
/// GPT-2's pre-tokenizer regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>,
/// hand-written over code points as llama.cpp's <c>unicode_regex_split_custom_gpt2</c> does.
/// .NET's regex sees UTF-16 units, so letters outside the BMP would not count as \p{L} there.
/// </summary>
public sealed class Gpt2PreTokenizer : IPreTokenizer
{
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";

    [Flags]
    private enum Flags : byte
    {
        OutOfRange = 0,
        InRange = 1,
        Letter = 2,
        Number = 4,
        Whitespace = 8,
    }

    public void Split(string text, List<SymbolSpan> words)
    {
        var (codePoints, starts, flags) = Analyze(text);
        int count = codePoints.Length;
        Flags At(int pos) => pos < count ? flags[pos] : Flags.OutOfRange;
        bool IsOther(int pos) => At(pos) == Flags.InRange;

        int previousEnd = 0;
        void Add(int end)
        {
            if (end > previousEnd)
                words.Add(new SymbolSpan(starts[previousEnd], starts[end] - starts[previousEnd]));
            previousEnd = end;
        }

        for (int pos = 0; pos < count;)
        {
            int c = codePoints[pos];
            if (c == '\'' && pos + 1 < count)
            {
                int next = codePoints[pos + 1];
                if (next is 's' or 't' or 'm' or 'd')
                {
                    Add(pos += 2);
                    continue;
                }
                if (pos + 2 < count)
                {
                    int nextNext = codePoints[pos + 2];
                    if ((next, nextNext) is ('r', 'e') or ('v', 'e') or ('l', 'l'))
                    {
                        Add(pos += 3);
                        continue;
                    }
                }
            }

            // " ?X+" : an optional leading space joins the run that follows it.
            int runStart = c == ' ' ? pos + 1 : pos;
            var lead = At(runStart);
            if ((lead & Flags.Letter) != 0 || (lead & Flags.Number) != 0)
            {
                var kind = lead & (Flags.Letter | Flags.Number);
                pos = runStart;
                while ((At(pos) & kind) != 0)
                    pos++;
                Add(pos);
                continue;
            }
            if (IsOther(runStart))
            {
                pos = runStart;
                while (IsOther(pos))
                    pos++;
                Add(pos);
                continue;
            }

            int spaces = 0;
            while ((At(pos + spaces) & Flags.Whitespace) != 0)
                spaces++;
            if (spaces > 1 && pos + spaces < count)
            {
                // \s+(?!\S): leave the last space to lead the next word.
                Add(pos += spaces - 1);
                continue;
            }
            if (spaces > 0)
            {
                Add(pos += spaces);
                continue;
            }
            Add(++pos);
        }
    }

    private static (int[] CodePoints, int[] Starts, Flags[] Flags) Analyze(string text)
    {
        var codePoints = new List<int>(text.Length);
        var starts = new List<int>(text.Length + 1);
        var flags = new List<Flags>(text.Length);
        int index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            codePoints.Add(rune.Value);
            starts.Add(index);
            index += rune.Utf16SequenceLength;
            var f = Flags.InRange;
            if (Rune.IsLetter(rune)) f |= Flags.Letter;
            if (Rune.IsNumber(rune)) f |= Flags.Number;
            if (Rune.IsWhiteSpace(rune)) f |= Flags.Whitespace;
            flags.Add(f);
        }
        starts.Add(index);
        return (codePoints.ToArray(), starts.ToArray(), flags.ToArray());
    }
}
