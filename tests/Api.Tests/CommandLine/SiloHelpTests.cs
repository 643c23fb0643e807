using System.Text.RegularExpressions;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.CommandLine;

/// <summary><c>--help</c> of the real silo and the option tables of docs/api.md list the same options, in the same groups, with the same defaults.</summary>
public sealed partial class SiloHelpTests
{
    [Fact]
    public async Task Help_ListsTheOptionsOfDocsApiMd_InTheirGroupsWithTheirDefaults()
    {
        var run = await SiloCommand.RunAsync(["--help"]);
        Assert.Equal(0, run.ExitCode);

        var help = FromHelp(run.Output);
        var docs = FromDocs(await File.ReadAllTextAsync(Repository.Path("docs", "api.md")));

        Assert.Equal(docs.Select(o => o.Switch).Except(help.Select(o => o.Switch)), []);
        Assert.Equal(help.Select(o => o.Switch).Except(docs.Select(o => o.Switch)), []);
        Assert.Equal(docs, help);
        Assert.Contains(help, o => o.Switch == "--max-model-len");
    }

    /// <summary>(group, switch, default) from help lines <c>  --page-size &lt;int&gt;  meaning [default: 16; Cluster:PageSize]</c> under <c>Group:</c>.</summary>
    private static List<(string Group, string Switch, string Default)> FromHelp(string help)
    {
        var options = new List<(string, string, string)>();
        string? group = null;
        foreach (var line in help.Split('\n'))
        {
            if (GroupLine().Match(line) is { Success: true } g) group = g.Groups[1].Value;
            else if (group is not null && HelpOption().Match(line) is { Success: true } o)
                options.Add((group, o.Groups[1].Value, DefaultInHelp().Match(line) is { Success: true } d ? d.Groups[1].Value : ""));
        }
        return options;
    }

    /// <summary>(group, switch, default) from the tables under <c>### Group</c> in the "Silo options" section.</summary>
    private static List<(string Group, string Switch, string Default)> FromDocs(string markdown)
    {
        int start = markdown.IndexOf("## Silo options", StringComparison.Ordinal);
        int end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/api.md has no '## Silo options' section");
        var options = new List<(string, string, string)>();
        string? group = null;
        foreach (var line in markdown[start..end].Split('\n'))
        {
            if (line.StartsWith("### ", StringComparison.Ordinal)) group = line[4..].Trim();
            else if (group is not null && DocsRow().Match(line) is { Success: true } row)
                options.Add((group, row.Groups[1].Value, row.Groups[2].Value.Trim()));
        }
        return options;
    }

    [GeneratedRegex(@"^(\S[^:]*):\s*$")]
    private static partial Regex GroupLine();

    [GeneratedRegex(@"^  (--[a-z-]+)")]
    private static partial Regex HelpOption();

    [GeneratedRegex(@"\[default: (.*); [^;\]]+\]\s*$")]
    private static partial Regex DefaultInHelp();

    [GeneratedRegex(@"^\| `(--[a-z-]+)` \|[^|]*\|([^|]*)\|")]
    private static partial Regex DocsRow();
}
