using Cluster.Engine.Model;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;
using Cluster.Grains.Telemetry;
using Cluster.Silo.Api.Status;

namespace Cluster.Api.Tests.Ui;

/// <summary>The charts' points: the growth of every replica's token count over time, summed over replicas.</summary>
public sealed class ServingHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_WhenTokenCountsGrow_GivesTokensPerSecondOverBothReplicasAndSumsRequests()
    {
        var history = new ServingHistory();
        var first = history.Add(Snapshot(Start, (100, 2, 1, 30), (50, 1, 0, 50)));
        var second = history.Add(Snapshot(Start.AddSeconds(2), (160, 3, 0, 20), (70, 1, 2, null)));

        Assert.Equal(0, first.TokensPerSecond);
        Assert.Equal((60 + 20) / 2.0, second.TokensPerSecond, 6);
        Assert.Equal(4, second.Running);
        Assert.Equal(2, second.Waiting);
        Assert.Equal(20, second.TimeToFirstTokenMs!.Value, 6);
        Assert.Equal([first, second], history.Points);
        Assert.Equal(second, history.Latest);
    }

    [Fact]
    public void Add_WhenALastStageCountsFromZeroOnANewSilo_CountsItsTokensAsNew()
    {
        var history = new ServingHistory();
        history.Add(Snapshot(Start, (1000, 1, 0, null)));
        var after = history.Add(Snapshot(Start.AddSeconds(2), (30, 1, 0, null)));
        Assert.Equal(15, after.TokensPerSecond, 6);
    }

    [Fact]
    public void Add_WhenPointsAreOlderThanTheSpan_DropsThem()
    {
        var history = new ServingHistory();
        for (int i = 0; i <= 200; i++) history.Add(Snapshot(Start.AddSeconds(2 * i), (i, 0, 0, null)));
        var points = history.Points;
        Assert.True(points[^1].At - points[0].At <= ServingHistory.Span);
        Assert.Equal((int)(ServingHistory.Span.TotalSeconds / 2) + 1, points.Count);
    }

    /// <summary>One last stage per replica, with the given (tokens, running, waiting, ttft) figures.</summary>
    private static ClusterSnapshot Snapshot(DateTimeOffset at, params (long Tokens, long Running, long Waiting, double? Ttft)[] replicas)
    {
        var stages = replicas.Select((r, i) => new StageView(
            new PlacedStage("m", i, new StagePlacement(0, new LayerRange(0, 1, 1), "silo")),
            StageState.Serving,
            Status(new ServingFigures { GeneratedTokens = r.Tokens, Running = r.Running, Waiting = r.Waiting, TimeToFirstTokenMs = r.Ttft }),
            null,
            null)).ToList();
        return new ClusterSnapshot(new PipelinePlan("m", 1, [], null), stages, at);
    }

    private static StageStatus Status(ServingFigures serving) => new()
    {
        Key = "m/0/0", Silo = "silo", FirstLayer = 0, EndLayer = 1, PageCount = 1, FreePages = 1, Sequences = 0, QueueDepth = 0, Batches = 0,
        SequenceSteps = 0, LargestBatch = 0, MessagesIn = 0, WireBytesIn = 0, LargestDecodeMessageBytes = 0, SmallestDecodeMessageBytes = 0, HiddenSize = 1,
        Live = new StageLiveFigures { Serving = serving },
    };
}
