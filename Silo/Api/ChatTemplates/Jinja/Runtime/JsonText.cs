using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>
/// The <c>tojson</c> filter as Hugging Face's templates get it (Python's json.dumps with
/// ensure_ascii off): ", " and ": " separators, optional indent, non-ASCII left as is.
/// </summary>
public static class JsonText
{
    public static string Write(object? value, int? indent)
    {
        var text = new StringBuilder();
        Write(text, value, indent, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int? indent, int depth)
    {
        switch (value)
        {
            case null or Undefined: text.Append("null"); break;
            case bool b: text.Append(b ? "true" : "false"); break;
            case long l: text.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: text.Append(Values.Repr(d)); break;
            case string s: text.Append(JsonSerializer.Serialize(s, Options)); break;
            case IDictionary<string, object?> dict:
                WriteItems(text, '{', '}', dict.Select(kv => (Action)(() =>
                {
                    text.Append(JsonSerializer.Serialize(kv.Key, Options)).Append(": ");
                    Write(text, kv.Value, indent, depth + 1);
                })).ToList(), indent, depth);
                break;
            case IList<object?> list:
                WriteItems(text, '[', ']', list.Select(e => (Action)(() => Write(text, e, indent, depth + 1))).ToList(), indent, depth);
                break;
            default: throw new TemplateException($"{Values.TypeName(value)} cannot be written as JSON");
        }
    }

    private static void WriteItems(StringBuilder text, char open, char close, List<Action> items, int? indent, int depth)
    {
        text.Append(open);
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0) text.Append(indent is null ? ", " : ",");
            if (indent is { } n) text.Append('\n').Append(' ', n * (depth + 1));
            items[i]();
        }
        if (indent is { } m && items.Count > 0) text.Append('\n').Append(' ', m * depth);
        text.Append(close);
    }

    // Escapes only what JSON requires, like ensure_ascii=False.
    private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
