namespace Cluster.Silo.CommandLine;

/// <summary>
/// One option of the silo: the switch a user types, the configuration key it binds (also set as an
/// environment variable: <c>Cluster__PageSize</c> for <c>Cluster:PageSize</c>), its group in
/// <c>--help</c> and in docs/api.md, the type its value must parse as, its default as shown, and
/// what it means. <see cref="SiloOptionTable"/> reads the type and the default off the options
/// class that binds the key, so neither can drift from what the silo does.
/// </summary>
/// <param name="Key">the configuration key; null for switches that steer the command line itself (<c>--help</c>).</param>
/// <param name="ValueType">what the value must parse as (nullable types unwrapped); null for a switch that takes no value.</param>
public sealed record SiloOption(string Switch, string? Key, string Group, Type? ValueType, string DefaultText, string Meaning)
{
    /// <summary>Given more than once, each value is kept (the configuration list <c>Api:ApiKeys:0</c>, <c>:1</c>, ...).</summary>
    public bool Repeatable { get; init; }

    /// <summary>A boolean option may be given bare: <c>--auto</c> is <c>--auto true</c>.</summary>
    public bool IsFlag => ValueType == typeof(bool);

    /// <summary>How the value is named in <c>--help</c>: <c>--page-size &lt;int&gt;</c>.</summary>
    public string ValueName => ValueType switch
    {
        null => "",
        var t when t == typeof(bool) => "[<bool>]",
        var t when t == typeof(int) || t == typeof(long) => "<int>",
        var t when t == typeof(double) => "<number>",
        var t when t.IsEnum => "<" + string.Join("|", Enum.GetNames(t).Select(n => n.ToLowerInvariant())) + ">",
        _ => "<value>",
    };
}
