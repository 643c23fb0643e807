using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Cli;

/// <summary><c>generate --url</c> against a real silo process serving stories260K.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class GenerateCommandTests(SiloServer server)
{
    private string Url => server.BaseAddress.ToString();

    [SharedModelFact]
    public async Task GenerateWithUrl_WhenGreedyOnceUponATime_StreamsLlama2cGolden()
    {
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(SharedModels.Path("stories260K", "golden-greedy-once-upon-a-time.json")))!;
        int generated = golden["generated_ids"]!.AsArray().Count;
        var output = new FlushRecordingWriter();

        var run = await CliRun.InvokeAsync(
            ["generate", "--url", Url, "--model", SiloServer.Model, "--prompt", "Once upon a time", "--max-tokens", generated.ToString(), "--temperature", "0"],
            output: output);

        Assert.True(run.ExitCode == 0, run.ToString());
        // run.c prints the prompt, the generated pieces and a final newline.
        Assert.Equal(golden["text"]!.GetValue<string>().TrimEnd('\n'), run.Output.TrimEnd('\n'));
        Assert.Contains("[finish: length]", run.Error);
        // Printed as it arrived: a flush after most of the tokens, each with more text than the last.
        Assert.True(output.FlushedLengths.Distinct().Count() > generated / 2, $"{output.FlushedLengths.Distinct().Count()} distinct flushes for {generated} tokens");
    }

    [SharedModelFact]
    public async Task GenerateWithUrl_WhenNoModelGiven_UsesTheServersModel()
    {
        var run = await CliRun.InvokeAsync(["generate", "--url", Url, "--max-tokens", "5"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("Once upon a time", run.Output);
        Assert.True(run.Output.Length > "Once upon a time\n".Length, run.ToString());
    }

    [SharedModelFact]
    public async Task GenerateWithUrl_WhenStopStringSpansTokens_EndsBeforeIt()
    {
        // The greedy story reads "... a little girl named Lily."; "girl na" covers parts of two tokens.
        var run = await CliRun.InvokeAsync(["generate", "--url", Url, "--max-tokens", "60", "--stop", "xyz", "--stop", "girl na"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("Once upon a time, there was a little \n", run.Output);
        Assert.Contains("[finish: stop]", run.Error);
    }

    [SharedModelFact]
    public async Task GenerateWithUrl_WhenModelUnknown_PrintsServerMessageAndExitsWithOne()
    {
        var run = await CliRun.InvokeAsync(["generate", "--url", Url, "--model", "no-such-model"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("HTTP 404", run.Error);
        Assert.Contains("model_not_found", run.Error);
        Assert.Contains($"the model 'no-such-model' does not exist; this server serves '{SiloServer.Model}'", run.Error);
    }

    [SharedModelFact]
    public async Task GenerateWithUrl_WhenTemperatureOutOfRange_PrintsTheServersFieldErrorAndExitsWithOne()
    {
        var run = await CliRun.InvokeAsync(["generate", "--url", Url, "--temperature", "5"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HTTP 400", run.Error);
        Assert.Contains("temperature", run.Error);
    }
}
