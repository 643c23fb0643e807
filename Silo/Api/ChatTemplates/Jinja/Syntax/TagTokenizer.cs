using System.Text;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>Splits the inside of one tag into names, literals and operators.</summary>
public static class TagTokenizer
{
    // Longest first, so "==" is not read as "=" "=".
    private static readonly string[] Operators =
        ["//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|", "="];

    public static List<Token> Tokenize(string source, int line)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (c == '\n') line++;
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (char.IsLetter(c) || c == '_')
            {
                int start = i;
                while (i < source.Length && (char.IsLetterOrDigit(source[i]) || source[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Name, source[start..i], line));
            }
            else if (char.IsDigit(c))
            {
                int start = i;
                while (i < source.Length && char.IsDigit(source[i])) i++;
                bool isFloat = i + 1 < source.Length && source[i] == '.' && char.IsDigit(source[i + 1]);
                if (isFloat)
                {
                    i++;
                    while (i < source.Length && char.IsDigit(source[i])) i++;
                }
                tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, source[start..i], line));
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadString(source, ref i, line), line));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, i, o, 0, o.Length) == 0)
                    ?? throw new TemplateException($"line {line}: unexpected character '{c}'");
                tokens.Add(new Token(TokenKind.Operator, op, line));
                i += op.Length;
            }
        }
        tokens.Add(new Token(TokenKind.End, "", line));
        return tokens;
    }

    private static string ReadString(string source, ref int i, int line)
    {
        char quote = source[i++];
        var text = new StringBuilder();
        while (i < source.Length && source[i] != quote)
        {
            char c = source[i++];
            if (c != '\\' || i >= source.Length)
            {
                text.Append(c);
                continue;
            }
            char escaped = source[i++];
            text.Append(escaped switch
            {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                _ => escaped, // \\ \' \" and anything else stand for themselves
            });
        }
        if (i >= source.Length) throw new TemplateException($"line {line}: unterminated string");
        i++;
        return text.ToString();
    }
}
