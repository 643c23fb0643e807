using System.Text.Json.Nodes;
using Cluster.Client.Commands.Status;
using Cluster.Client.Http;

namespace Cluster.Api.Tests.Cli;

/// <summary>The lines under <c>status</c>'s tables name a stage that does not answer and every loss the silo saw.</summary>
public sealed class StatusSummaryTests
{
    [Fact]
    public void Summary_WhenAStageIsLostAndAnotherWasReplaced_SaysSoWithLayersAndSilos()
    {
        var status = JsonNode.Parse("""
            {"model":"m","plan":{"complete":false,"replicas":1,"stages_per_replica":[3],"description":"m: incomplete"},
             "stages":[
               {"key":"m/0/0","state":"serving","first_layer":0,"last_layer":1},
               {"key":"m/0/1","state":"lost","first_layer":2,"last_layer":3,"reason":"its silo is gone"}],
             "lost_stages":[
               {"key":"m/0/1","layers":"2-3","silo":"A","lost_at":"T1","replaced_by":null},
               {"key":"m/0/2","layers":"4-4","silo":"B","lost_at":"T0","replaced_by":"C"}],
             "admission":{"running":0,"queued":0,"capacity":1}}
            """)!;

        var lines = StatusTables.Summary(status, new ReadyState(false, "plan incomplete")).ToList();

        Assert.Contains("stage m/0/1 (layers 2-3): lost (its silo is gone)", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("stage m/0/0", StringComparison.Ordinal));
        Assert.Contains("lost: stage m/0/1 (layers 2-3) on A at T1, not re-placed yet", lines);
        Assert.Contains("lost: stage m/0/2 (layers 4-4) on B at T0, re-placed on C", lines);
    }

    [Fact]
    public void Summary_WhenTheSiloServesOnlyAnEmbeddingModel_SaysThereIsNoGenerationModelAndNamesTheEncoder()
    {
        var status = JsonNode.Parse("""
            {"model":null,"plan":null,"silos":[],"stages":[],"lost_stages":[],
             "embedding_model":{"id":"minilm","dimensions":384,"context_window":512,
               "stages":[{"key":"minilm/0","stage":0,"first_layer":0,"last_layer":2},{"key":"minilm/1","stage":1,"first_layer":3,"last_layer":5}]},
             "admission":{"running":0,"queued":0,"capacity":1}}
            """)!;

        var lines = StatusTables.Summary(status, new ReadyState(true, "")).ToList();

        Assert.Contains("model: none (this silo serves no generation model)", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("plan:", StringComparison.Ordinal));
        Assert.Contains("embedding model: minilm (2 stage(s), 384 dimensions)", lines);
        Assert.Contains("ready: yes", lines);
    }
}
