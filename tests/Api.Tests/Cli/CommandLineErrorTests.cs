namespace Cluster.Api.Tests.Cli;

/// <summary>The tool's command lines that do not parse (exit 2, with the nearest options) and inputs it cannot load (exit 1, one line).</summary>
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData("generate", "--max-tokns", "--max-tokens")]
    [InlineData("bench", "--num-prompt", "--num-prompts")]
    [InlineData("engine-bench", "--concurency", "--concurrency")]
    public async Task Command_WhenOptionMisspelt_ExitsTwoSuggestingTheNearest(string command, string typed, string nearest)
    {
        var run = await CliRun.InvokeAsync([command, typed, "3"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"'{typed}' was not matched. Did you mean one of the following?", run.Error + run.Output);
        Assert.Contains(nearest, run.Error + run.Output);
    }

    [Fact]
    public async Task Generate_WhenModelFileIsMissing_ExitsOneWithOneLineNamingIt()
    {
        var run = await CliRun.InvokeAsync(["generate", "--model", "/no/such/model.gguf"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: /no/such/model.gguf: no such file or directory", run.Error.Trim());
    }

    [SharedModelFact]
    public async Task Export_WhenGgufIsTruncated_ExitsOneWithOneLine_AndTheTraceOnlyWhenVerbose()
    {
        using var directory = new TemporaryDirectory();
        var damaged = Path.Combine(directory.Path, "damaged.gguf");
        await File.WriteAllBytesAsync(damaged, (await File.ReadAllBytesAsync(SharedModels.Path("stories260K", "stories260K.gguf")))[..1000]);
        string[] export = ["export", "--model", damaged, "--output", Path.Combine(directory.Path, "out.gguf")];

        var quiet = await CliRun.InvokeAsync(export);
        var verbose = await CliRun.InvokeAsync([.. export, "--verbose"]);

        Assert.Equal(1, quiet.ExitCode);
        Assert.StartsWith($"error: {damaged}: truncated", quiet.Error);
        Assert.Single(quiet.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("at Cluster.Engine.Formats", verbose.Error);
    }
}
