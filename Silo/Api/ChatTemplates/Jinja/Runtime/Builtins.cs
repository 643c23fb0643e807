using System.Globalization;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>
/// The filters, tests, methods and global functions chat templates use. Anything else is refused
/// when the template is compiled, so an unsupported template falls back at load, not mid-request.
/// </summary>
public static class Builtins
{
    public static readonly IReadOnlySet<string> FilterNames = new HashSet<string>
    {
        "trim", "length", "count", "upper", "lower", "tojson", "string", "first", "last", "join", "default", "d",
        "capitalize", "title", "replace", "list", "items", "reverse", "int", "float", "abs", "safe", "e", "escape",
    };

    public static readonly IReadOnlySet<string> TestNames = new HashSet<string>
    {
        "defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "iterable", "sequence",
        "boolean", "true", "false", "even", "odd", "callable",
    };

    public static object? Filter(string name, object? value, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs) => name switch
    {
        "trim" => Values.Str(value).Trim(),
        "length" or "count" => (long)Values.Length(value),
        "upper" => Values.Str(value).ToUpperInvariant(),
        "lower" => Values.Str(value).ToLowerInvariant(),
        "capitalize" => Capitalize(Values.Str(value)),
        "title" => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Values.Str(value).ToLowerInvariant()),
        "tojson" => JsonText.Write(value, (kwargs.GetValueOrDefault("indent") ?? args.FirstOrDefault()) is long indent ? (int)indent : null),
        "string" or "safe" or "e" or "escape" => Values.Str(value),
        "first" => Values.Iterate(value).FirstOrDefault(Undefined.Instance),
        "last" => Values.Iterate(value).LastOrDefault(Undefined.Instance),
        "join" => TemplateLimits.Checked(string.Join(args.Count > 0 ? Values.Str(args[0]) : "", Values.Iterate(value).Select(Values.Str))),
        "default" or "d" => value is Undefined || (args.Count > 1 && Values.Truthy(args[1]) && !Values.Truthy(value)) ? args.FirstOrDefault() ?? "" : value,
        "replace" => Replace(Values.Str(value), Values.Str(args[0]), Values.Str(args[1])),
        "list" => Values.Iterate(value).ToList(),
        "items" => Items(value),
        "reverse" => value is string s ? new string(s.Reverse().ToArray()) : Values.Iterate(value).Reverse().ToList(),
        "int" => value is string t ? long.TryParse(t.Trim(), CultureInfo.InvariantCulture, out long l) ? l : 0L : (object)(long)Values.ToDouble(value),
        "float" => value is string f ? double.TryParse(f.Trim(), CultureInfo.InvariantCulture, out double d) ? d : 0.0 : Values.ToDouble(value),
        "abs" => value is long a ? (object)Math.Abs(a) : Math.Abs(Values.ToDouble(value)),
        _ => throw new TemplateException($"unsupported filter '{name}'"),
    };

    public static bool Test(string name, object? value, IReadOnlyList<object?> args) => name switch
    {
        "defined" => value is not Undefined,
        "undefined" => value is Undefined,
        "none" => value is null,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "mapping" => value is IDictionary<string, object?>,
        "iterable" => value is string or IList<object?> or IDictionary<string, object?>,
        "sequence" => value is string or IList<object?>,
        "boolean" => value is bool,
        "true" => value is true,
        "false" => value is false,
        "even" => value is long e && e % 2 == 0,
        "odd" => value is long o && o % 2 != 0,
        "callable" => value is JinjaCallable,
        _ => throw new TemplateException($"unsupported test '{name}'"),
    };

    /// <summary>A method of a string or dict (<c>content.strip()</c>, <c>message.get('x')</c>), or null when there is none.</summary>
    public static JinjaCallable? Method(object? target, string name) => (target, name) switch
    {
        (string s, "strip") => (a, _) => a.Count > 0 ? s.Trim(Values.Str(a[0]).ToCharArray()) : s.Trim(),
        (string s, "lstrip") => (a, _) => a.Count > 0 ? s.TrimStart(Values.Str(a[0]).ToCharArray()) : s.TrimStart(),
        (string s, "rstrip") => (a, _) => a.Count > 0 ? s.TrimEnd(Values.Str(a[0]).ToCharArray()) : s.TrimEnd(),
        (string s, "upper") => (_, _) => s.ToUpperInvariant(),
        (string s, "lower") => (_, _) => s.ToLowerInvariant(),
        (string s, "capitalize") => (_, _) => Capitalize(s),
        (string s, "startswith") => (a, _) => s.StartsWith(Values.Str(a[0]), StringComparison.Ordinal),
        (string s, "endswith") => (a, _) => s.EndsWith(Values.Str(a[0]), StringComparison.Ordinal),
        (string s, "replace") => (a, _) => Replace(s, Values.Str(a[0]), Values.Str(a[1])),
        (string s, "split") => (a, _) => (a.Count > 0 ? s.Split(Values.Str(a[0])) : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Cast<object?>().ToList(),
        (IDictionary<string, object?> d, "items") => (_, _) => Items(d),
        (IDictionary<string, object?> d, "keys") => (_, _) => d.Keys.Cast<object?>().ToList(),
        (IDictionary<string, object?> d, "values") => (_, _) => d.Values.ToList(),
        (IDictionary<string, object?> d, "get") => (a, _) => d.TryGetValue(Values.Str(a[0]), out var v) ? v : a.Count > 1 ? a[1] : null,
        _ => null,
    };

    public static IReadOnlyDictionary<string, object?> Globals() => new Dictionary<string, object?>
    {
        ["raise_exception"] = (JinjaCallable)((a, _) => throw new TemplateException(a.Count > 0 ? Values.Str(a[0]) : "the template raised an exception")),
        ["namespace"] = (JinjaCallable)((_, kw) => new JinjaNamespace(kw)),
        ["range"] = (JinjaCallable)((a, _) => Range(a)),
        ["true"] = true,
        ["false"] = false,
        ["none"] = null,
        ["True"] = true,
        ["False"] = false,
        ["None"] = null,
    };

    private static List<object?> Range(IReadOnlyList<object?> a)
    {
        long start = a.Count > 1 ? (long)Values.ToDouble(a[0]) : 0, stop = (long)Values.ToDouble(a[a.Count > 1 ? 1 : 0]);
        long step = a.Count > 2 ? (long)Values.ToDouble(a[2]) : 1;
        if (step == 0) throw new TemplateException("range() step must not be zero");
        if (step > 0 ? stop > start : start > stop) TemplateLimits.EnsureItems((Math.Abs(stop - start) + Math.Abs(step) - 1) / Math.Abs(step));
        var list = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) list.Add(i);
        return list;
    }

    /// <summary>str.replace, refused before it is done when its result would pass the string limit.</summary>
    private static string Replace(string s, string old, string replacement)
    {
        if (old.Length > 0 && replacement.Length > old.Length)
        {
            long count = 0;
            for (int at = s.IndexOf(old, StringComparison.Ordinal); at >= 0; at = s.IndexOf(old, at + old.Length, StringComparison.Ordinal)) count++;
            TemplateLimits.EnsureChars(s.Length + count * (replacement.Length - old.Length));
        }
        return s.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static List<object?> Items(object? value) => value is IDictionary<string, object?> d
        ? d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList()
        : throw new TemplateException($"{Values.TypeName(value)} has no items");

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
}
