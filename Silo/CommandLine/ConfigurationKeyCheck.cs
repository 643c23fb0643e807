namespace Cluster.Silo.CommandLine;

/// <summary>
/// Refuses keys of the silo's own sections that no option binds, wherever they come from (an
/// environment variable <c>Cluster__KvCacheMB</c> is as easy to misspell as a switch): unbound
/// keys are otherwise ignored without a word.
/// </summary>
public static class ConfigurationKeyCheck
{
    public static void Check(IConfiguration configuration)
    {
        foreach (var section in SiloOptionTable.CheckedSections)
        {
            foreach (var entry in configuration.GetSection(section).AsEnumerable(makePathsRelative: false))
            {
                if (entry.Value is null || SiloOptionTable.ForKey(entry.Key) is not null) continue;
                var known = SiloOptionTable.All.Where(o => o.Key?.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase) == true).Select(o => o.Key!);
                var near = OptionSuggestions.Nearest(entry.Key[(section.Length + 1)..], known.Select(k => k[(section.Length + 1)..]))
                    .Select(k => $"{section}:{k}").ToArray();
                var hint = near.Length == 0 ? "" : $"; did you mean {string.Join(" or ", near)}?";
                throw new UsageException(
                    $"unknown configuration key '{entry.Key}' (from the environment, as {entry.Key.Replace(":", "__", StringComparison.Ordinal)}, or a settings file){hint}");
            }
        }
    }
}
