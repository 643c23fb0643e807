namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>
/// Cuts a template into text and tags and applies whitespace control the way Hugging Face renders
/// chat templates: <c>trim_blocks</c> and <c>lstrip_blocks</c> on (transformers sets both), plus
/// the explicit <c>{%-</c> / <c>-%}</c> markers.
/// </summary>
public static class TemplateLexer
{
    public static List<Segment> Lex(string source)
    {
        var segments = new List<Segment>();
        int i = 0, line = 1;
        bool stripLeading = false, trimNewline = false;
        while (i < source.Length)
        {
            int open = FindOpen(source, i);
            string text = source[i..(open < 0 ? source.Length : open)];
            bool atLineStart = i == 0 || source[i - 1] == '\n';
            if (stripLeading) text = text.TrimStart();
            else if (trimNewline && text.StartsWith('\n')) (text, atLineStart) = (text[1..], true);
            else if (trimNewline && text.StartsWith("\r\n", StringComparison.Ordinal)) (text, atLineStart) = (text[2..], true);
            if (open < 0)
            {
                Add(segments, text, line);
                break;
            }

            char kind = source[open + 1];
            bool block = kind is '%' or '#';
            bool minusBefore = open + 2 < source.Length && source[open + 2] == '-';
            bool plusBefore = open + 2 < source.Length && source[open + 2] == '+';
            if (minusBefore) text = text.TrimEnd();
            else if (block && !plusBefore) text = LstripBlock(text, atLineStart);
            Add(segments, text, line);
            line += Count(source, i, open);

            string close = kind switch { '{' => "}}", '%' => "%}", _ => "#}" };
            int end = source.IndexOf(close, open + 2, StringComparison.Ordinal);
            if (end < 0) throw new TemplateException($"line {line}: '{source.Substring(open, 2)}' is never closed by '{close}'");
            bool minusAfter = source[end - 1] == '-' && end - 1 >= open + 2 + (minusBefore || plusBefore ? 1 : 0);
            int innerStart = open + 2 + (minusBefore || plusBefore ? 1 : 0);
            string inner = source[innerStart..(minusAfter ? end - 1 : end)];
            if (kind == '{') segments.Add(new Segment(SegmentKind.Output, "", TagTokenizer.Tokenize(inner, line), line));
            else if (kind == '%') segments.Add(new Segment(SegmentKind.Statement, "", TagTokenizer.Tokenize(inner, line), line));
            line += Count(source, open, end);
            stripLeading = minusAfter;
            trimNewline = block;
            i = end + 2;
        }
        return segments;
    }

    private static int FindOpen(string source, int from)
    {
        for (int i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
            if (source[i + 1] is '{' or '%' or '#') return i;
        return -1;
    }

    /// <summary>lstrip_blocks: spaces and tabs between a line's start and a block tag are dropped.</summary>
    private static string LstripBlock(string text, bool atLineStart)
    {
        int k = text.Length;
        while (k > 0 && text[k - 1] is ' ' or '\t') k--;
        return (k == 0 && atLineStart) || (k > 0 && text[k - 1] == '\n') ? text[..k] : text;
    }

    private static void Add(List<Segment> segments, string text, int line)
    {
        if (text.Length > 0) segments.Add(new Segment(SegmentKind.Text, text, [], line));
    }

    private static int Count(string source, int from, int to)
    {
        int n = 0;
        for (int i = from; i < to; i++) if (source[i] == '\n') n++;
        return n;
    }
}
