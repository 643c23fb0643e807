using System.Globalization;

namespace Cluster.Silo.CommandLine;

/// <summary>
/// The silo's command line, checked against <see cref="SiloOptionTable"/>: every switch must be
/// known and get a value of its type (<c>--name value</c> or <c>--name=value</c>; a boolean
/// may stand bare). The configuration-key form (<c>--Cluster:PageSize 32</c>) is accepted for the
/// table's keys, and ASP.NET Core's logging keys (<c>--Logging:LogLevel:Default Debug</c>) pass
/// through. Anything else is a <see cref="UsageException"/>, which the silo reports with exit code 2.
/// </summary>
public sealed class SiloArguments
{
    private const string LoggingPrefix = "--Logging:";

    private SiloArguments(IReadOnlyDictionary<string, string> values, bool help, bool verbose)
    {
        Values = values;
        Help = help;
        Verbose = verbose;
    }

    /// <summary>The configuration the command line sets, by key.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary><c>--help</c>: print the options and exit.</summary>
    public bool Help { get; }

    /// <summary><c>--verbose</c>: a failed start prints its stack trace.</summary>
    public bool Verbose { get; }

    public static SiloArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        bool help = false, verbose = false;
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?") { help = true; continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"unexpected argument '{arg}': options are written --name value");
            int equals = arg.IndexOf('=');
            var name = equals < 0 ? arg : arg[..equals];
            var inline = equals < 0 ? null : arg[(equals + 1)..];
            bool nextIsValue = inline is null && i + 1 < args.Count && !IsSwitch(args[i + 1]);

            if (name.StartsWith(LoggingPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > LoggingPrefix.Length)
            {
                values[name[2..]] = inline ?? (nextIsValue ? args[++i] : throw new UsageException($"option {name} needs a value"));
                continue;
            }
            var option = SiloOptionTable.Find(name) ?? throw Unknown(name);
            if (option.Key is null)
            {
                if (inline is not null) throw new UsageException($"option {option.Switch} takes no value");
                if (option.Switch == "--help") help = true;
                else verbose = true;
                continue;
            }
            string value = inline
                ?? (nextIsValue ? args[++i] : option.IsFlag ? "true" : throw new UsageException($"option {option.Switch} needs a value ({option.ValueName})"));
            if (option.Repeatable) values[$"{option.Key}:{values.Keys.Count(k => k.StartsWith(option.Key + ":", StringComparison.OrdinalIgnoreCase))}"] = Checked(option, value);
            else values[option.Key] = Checked(option, value);
        }
        return new SiloArguments(values, help, verbose);
    }

    /// <summary>The next argument is a switch, not a value (a negative number is a value).</summary>
    private static bool IsSwitch(string arg) => arg.StartsWith("--", StringComparison.Ordinal) || arg is "-h" or "-?";

    private static UsageException Unknown(string name)
    {
        var near = OptionSuggestions.Nearest(name, SiloOptionTable.All.Select(o => o.Switch));
        var hint = near.Count == 0 ? "" : $"; did you mean {string.Join(" or ", near)}?";
        return new UsageException($"unknown option '{name}'{hint} (--help lists every option)");
    }

    private static string Checked(SiloOption option, string value)
    {
        var type = option.ValueType!;
        bool ok = type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(double) ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            : type == typeof(bool) ? bool.TryParse(value, out _)
            : type.IsEnum ? Enum.TryParse(type, value, ignoreCase: true, out _) && !value.Any(char.IsAsciiDigit)
            : value.Length > 0;
        if (!ok) throw new UsageException($"option {option.Switch}: '{value}' is not {Described(type)}");
        return value;
    }

    private static string Described(Type type) =>
        type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
        : "a value";
}
