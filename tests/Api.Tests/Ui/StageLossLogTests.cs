using Cluster.Engine.Model;
using Cluster.Grains.Pipeline;
using Cluster.Silo.Api.Status;

namespace Cluster.Api.Tests.Ui;

/// <summary>How a stage's loss and its re-placement are told apart from a plan that merely changed.</summary>
public sealed class StageLossLogTests
{
    private readonly FakeMembership _membership = new();

    [Fact]
    public void Observe_WhenALostStagesLayersMoveToAnotherSilo_RecordsTheLossThenItsReplacement()
    {
        string a = _membership.Add(1001), b = _membership.Add(1002), spare = _membership.Add(1003);
        var log = new StageLossLog(new SiloLiveness(_membership), TimeProvider.System);
        log.Observe(Layout((0, 2, a), (2, 4, b)));

        _membership.Kill(b);
        var lost = log.Lost(log.LastLayout[1]);
        Assert.Equal(("m/0/1", "2-3", b), (lost.Key, lost.Layers, lost.Silo));
        Assert.Null(lost.ReplacedBy);
        Assert.Same(lost, log.Lost(log.LastLayout[1])); // the same loss, not a second one

        log.Observe(Layout((0, 2, a), (2, 4, spare)));
        var loss = Assert.Single(log.Losses);
        Assert.Equal(spare, loss.ReplacedBy);
        Assert.Equal(lost.LostAt, loss.LostAt);
        Assert.Equal(loss, log.ReplacementOf("m/0/1", spare));
        Assert.Null(log.ReplacementOf("m/0/0", a));
        Assert.Equal(spare, log.LastLayout[1].Placement.Silo);
    }

    [Fact]
    public void Observe_WhenAStageMovesFromASiloThatIsStillThere_RecordsNoLoss()
    {
        string a = _membership.Add(1001), b = _membership.Add(1002);
        var log = new StageLossLog(new SiloLiveness(_membership), TimeProvider.System);
        log.Observe(Layout((0, 4, a)));
        log.Observe(Layout((0, 4, b))); // a re-split: a is alive

        Assert.Empty(log.Losses);
    }

    [Fact]
    public void Observe_WhenThePlanMovesAStageBeforeItWasSeenLost_RecordsTheLossAndReplacementAtOnce()
    {
        string a = _membership.Add(1001), spare = _membership.Add(1002);
        var log = new StageLossLog(new SiloLiveness(_membership), TimeProvider.System);
        log.Observe(Layout((0, 4, a)));
        _membership.Kill(a);
        log.Observe(Layout((0, 4, spare)));

        var loss = Assert.Single(log.Losses);
        Assert.Equal((a, spare), (loss.Silo, loss.ReplacedBy));
    }

    private static IReadOnlyList<PlacedStage> Layout(params (int Start, int End, string Silo)[] stages) =>
        [.. stages.Select((s, i) => new PlacedStage("m", 0, new StagePlacement(i, new LayerRange(s.Start, s.End, stages[^1].End), s.Silo)))];
}
