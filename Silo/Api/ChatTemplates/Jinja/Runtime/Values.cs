using System.Collections;
using System.Globalization;
using System.Text;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Python's rules for the values templates see (none, bools, ints, floats, strings, lists, dicts):
/// truth, equality, ordering, arithmetic and <c>str()</c>, since chat templates are written against
/// Jinja running on Python.
/// </summary>
public static class Values
{
    public static bool Truthy(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    public static string Str(object? v) => v switch
    {
        null => "None",
        Undefined => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Repr(d),
        _ => Repr(v),
    };

    public static string Repr(object? v) => v switch
    {
        string s => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'",
        double d => double.IsInteger(d) && Math.Abs(d) < 1e16 ? d.ToString("0.0", CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture),
        IDictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(kv => Repr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        IList<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        _ => Str(v),
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new TemplateException($"{TypeName(v)} is not a number"),
    };

    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is Undefined || b is Undefined) return a is Undefined && b is Undefined;
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a) == ToDouble(b);
        if (a is string sa && b is string sb) return sa == sb;
        if (a is IList<object?> la && b is IList<object?> lb) return la.Count == lb.Count && la.Zip(lb).All(p => AreEqual(p.First, p.Second));
        if (a is IDictionary<string, object?> da && b is IDictionary<string, object?> db)
            return da.Count == db.Count && da.All(kv => db.TryGetValue(kv.Key, out var o) && AreEqual(kv.Value, o));
        return ReferenceEquals(a, b);
    }

    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b)) return ToDouble(a).CompareTo(ToDouble(b));
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
        throw new TemplateException($"cannot order {TypeName(a)} and {TypeName(b)}");
    }

    public static bool Contains(object? container, object? item) => container switch
    {
        string s => item is string sub ? s.Contains(sub, StringComparison.Ordinal) : throw new TemplateException($"'in <string>' needs a string, not {TypeName(item)}"),
        IDictionary<string, object?> d => item is string key && d.ContainsKey(key),
        IList<object?> l => l.Any(e => AreEqual(e, item)),
        Undefined => false,
        _ => throw new TemplateException($"{TypeName(container)} is not a container"),
    };

    public static object? Add(object? a, object? b) => (a, b) switch
    {
        (string sa, string sb) => TemplateLimits.Checked(sa + sb),
        (IList<object?> la, IList<object?> lb) => Concat(la, lb),
        (long x, long y) => x + y,
        _ when IsNumber(a) && IsNumber(b) => a is long or bool && b is long or bool ? (object)((long)ToDouble(a) + (long)ToDouble(b)) : ToDouble(a) + ToDouble(b),
        _ => throw new TemplateException($"cannot add {TypeName(a)} and {TypeName(b)}"),
    };

    public static object? Arithmetic(string op, object? a, object? b)
    {
        if (op == "*" && a is string s && b is long n)
        {
            TemplateLimits.EnsureChars(s.Length * Math.Max(0, n));
            return new StringBuilder().Insert(0, s, (int)Math.Max(0, n)).ToString();
        }
        bool integers = a is long or bool && b is long or bool;
        double x = ToDouble(a), y = ToDouble(b);
        if (op is "/" or "//" or "%" && y == 0) throw new TemplateException("division by zero");
        return op switch
        {
            "-" => integers ? (object)((long)x - (long)y) : x - y,
            "*" => integers ? (object)((long)x * (long)y) : x * y,
            "/" => x / y,
            "//" => integers ? (object)((long)Math.Floor(x / y)) : Math.Floor(x / y),
            // Python's modulo takes the sign of the divisor.
            "%" => integers ? (object)((long)(((long)x % (long)y + (long)y) % (long)y)) : ((x % y) + y) % y,
            "**" => integers && y >= 0 ? (object)((long)Math.Pow(x, y)) : Math.Pow(x, y),
            _ => throw new TemplateException($"unknown operator {op}"),
        };
    }

    public static IEnumerable<object?> Iterate(object? v) => v switch
    {
        IList<object?> l => l,
        IDictionary<string, object?> d => d.Keys.Cast<object?>(),
        string s => s.Select(c => (object?)c.ToString()),
        Undefined or null => [],
        _ => throw new TemplateException($"{TypeName(v)} is not iterable"),
    };

    public static int Length(object? v) => v switch
    {
        string s => s.Length,
        ICollection c => c.Count,
        Undefined => 0,
        _ => throw new TemplateException($"{TypeName(v)} has no length"),
    };

    public static string TypeName(object? v) => v switch
    {
        null => "none",
        Undefined => "undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "string",
        IDictionary<string, object?> => "dict",
        IList<object?> => "list",
        JinjaCallable => "function",
        _ => v.GetType().Name,
    };

    private static List<object?> Concat(IList<object?> a, IList<object?> b)
    {
        TemplateLimits.EnsureItems((long)a.Count + b.Count);
        return a.Concat(b).ToList();
    }
}
