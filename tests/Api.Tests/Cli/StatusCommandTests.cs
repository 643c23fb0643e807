using System.Text.Json.Nodes;
using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Cli;

/// <summary><c>status --url</c> against a real silo process serving stories260K (5 layers, one stage).</summary>
[Collection(CliSiloCollection.Name)]
public sealed class StatusCommandTests(SiloServer server)
{
    private string Url => server.BaseAddress.ToString();

    [SharedModelFact]
    public async Task StatusWithUrl_WhenReady_PrintsTheStageTableWithLayersAndPages()
    {
        var status = JsonNode.Parse(await server.Http.GetStringAsync("/v1/cluster/status"))!;
        int pageCount = status["stages"]![0]!["page_count"]!.GetValue<int>();

        var run = await CliRun.InvokeAsync(["status", "--url", Url]);

        Assert.True(run.ExitCode == 0, run.ToString());
        // Captured output is plain: ASCII borders, no escape codes.
        Assert.DoesNotContain('\u001b', run.Output);
        string row = Assert.Single(run.Output.Split('\n'), l => l.Contains($"{SiloServer.Model}/0/0"));
        string[] cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        // stage, layers, silo, device, KV pages used, KV pages free, sequences, queue depth (seqs, queue)
        Assert.Equal(8, cells.Length);
        Assert.Equal("0-4", cells[1]);
        Assert.Equal(pageCount, int.Parse(cells[4]) + int.Parse(cells[5]));
        Assert.Contains("KV pages free", run.Output);
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith($"| {SiloServer.Model} ", StringComparison.Ordinal) && l.Contains("| cluster "));
        Assert.Contains("ready: yes", run.Output);
    }

    [SharedModelFact]
    public async Task StatusWithJson_WhenReady_PrintsTheServersStatusJson()
    {
        var run = await CliRun.InvokeAsync(["status", "--url", Url, "--json"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var status = JsonNode.Parse(run.Output)!;
        Assert.Equal(SiloServer.Model, status["model"]!.GetValue<string>());
        Assert.Equal(0, status["stages"]![0]!["first_layer"]!.GetValue<int>());
        Assert.Equal(4, status["stages"]![0]!["last_layer"]!.GetValue<int>());
    }

    [SharedModelFact]
    public async Task StatusWithWait_WhenReady_SaysSoAndPrintsTheTables()
    {
        var run = await CliRun.InvokeAsync(["status", "--url", Url, "--wait", "--timeout", "30"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ready after", run.Error);
        Assert.Contains("ready: yes", run.Output);
    }
}
