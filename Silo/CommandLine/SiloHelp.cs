namespace Cluster.Silo.CommandLine;

/// <summary><c>--help</c>: every option of <see cref="SiloOptionTable"/>, grouped as in docs/api.md, with its default and configuration key.</summary>
public static class SiloHelp
{
    public static string Render()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("Usage: Cluster.Silo [options]   (dotnet run --project Silo -- [options])");
        text.AppendLine();
        text.AppendLine("Serves a model over the OpenAI API as one silo of an Orleans cluster. Each option also");
        text.AppendLine("reads from its configuration key, set in the environment with __ for : (Cluster__PageSize=32).");
        int width = SiloOptionTable.All.Max(o => Usage(o).Length) + 2;
        foreach (var group in SiloOptionTable.All.GroupBy(o => o.Group))
        {
            text.AppendLine();
            text.AppendLine($"{group.Key}:");
            foreach (var option in group)
            {
                var facts = option.Key is null ? "" : $" [default: {option.DefaultText}; {option.Key}]";
                text.AppendLine($"  {Usage(option).PadRight(width)}{option.Meaning.Replace("`", "", StringComparison.Ordinal)}{facts}");
            }
        }
        return text.ToString();
    }

    private static string Usage(SiloOption option) => option.ValueType is null ? option.Switch : $"{option.Switch} {option.ValueName}";
}
