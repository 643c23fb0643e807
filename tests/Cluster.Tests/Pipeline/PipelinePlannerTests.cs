using Cluster.Engine.Model;
using Cluster.Grains.Pipeline;

namespace Cluster.Tests.Pipeline;

public sealed class PipelinePlannerTests
{
    private static SiloAdvert Explicit(string silo, params (int Start, int End)[] layers) =>
        new(silo, "m", 5, layers.Select(l => new LayerRange(l.Start, l.End, 5)).ToArray(), null, 1, 0);

    [Fact]
    public void Build_WhenThreeSilosNameTwoTwoOneLayers_MakesThreeStagesInLayerOrder()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("c", (4, 5)), Explicit("a", (0, 2)), Explicit("b", (2, 4))]);

        Assert.True(plan.IsComplete, plan.Problem);
        var stages = plan.Stages(0);
        Assert.Equal(["a", "b", "c"], stages.Select(s => s.Silo));
        Assert.Equal([2, 2, 1], stages.Select(s => s.Layers.Count));
        Assert.True(stages[^1].Layers.IsLast);
    }

    [Fact]
    public void Build_WhenALayerIsHostedNowhere_NamesTheMissingLayers()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 2)), Explicit("c", (4, 5))]);

        Assert.False(plan.IsComplete);
        Assert.Contains("layers 2-3", plan.Problem);
        Assert.Throws<InvalidOperationException>(() => plan.Stages(0));
    }

    [Fact]
    public void Build_WhenRangesOverlap_ReportsTheOverlap()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 3)), Explicit("b", (2, 5))]);

        Assert.Contains("overlap", plan.Problem);
    }

    [Fact]
    public void Build_WhenTwoSilosHostTheSameRangeForTwoReplicas_GivesEachReplicaItsOwnSilo()
    {
        SiloAdvert Two(string silo, int start, int end) => Explicit(silo, (start, end)) with { Replicas = 2 };
        var plan = PipelinePlanner.Build("m", [Two("a1", 0, 3), Two("a2", 0, 3), Two("b1", 3, 5), Two("b2", 3, 5)]);

        Assert.Equal(["a1", "b1"], plan.Stages(0).Select(s => s.Silo));
        Assert.Equal(["a2", "b2"], plan.Stages(1).Select(s => s.Silo));
    }

    [Fact]
    public void Build_WhenSilosAreAutomatic_SplitsLayersByAdvertisedMemory()
    {
        SiloAdvert Auto(string silo, long memory) => new(silo, "m", 12, null, null, 1, memory);
        var plan = PipelinePlanner.Build("m", [Auto("a", 8000), Auto("b", 4000), Auto("c", 4000)]);

        Assert.Equal([6, 3, 3], plan.Stages(0).Select(s => s.Layers.Count));
        Assert.Equal(12, plan.Stages(0)[^1].Layers.End);
    }

    [Fact]
    public void Build_WhenSilosAreAutomatic_CountsTheLmHeadOnTheLastStage()
    {
        // The 110M shape: its 32,000-token head weighs 3.47 layers, so the last stage takes fewer layers.
        SiloAdvert Auto(string silo) => new(silo, "m", 12, null, null, 1, 4000, ExpectedSilos: 2, HeadLayers: 3.47);
        var plan = PipelinePlanner.Build("m", [Auto("a"), Auto("b")]);

        Assert.Equal([8, 4], plan.Stages(0).Select(s => s.Layers.Count));
    }

    [Fact]
    public void Build_WhenFewerAutomaticSilosThanExpectedHaveJoined_WaitsForThem()
    {
        var plan = PipelinePlanner.Build("m", [new SiloAdvert("a", "m", 5, null, null, 1, 1000, ExpectedSilos: 2)]);

        Assert.Contains("1 of 2 expected automatic silos", plan.Problem);
    }

    [Fact]
    public void Build_WhenSilosComputeInDifferentDtypes_RefusesThePlan()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 2)), Explicit("b", (2, 5)) with { Dtype = "bfloat16" }]);

        Assert.Contains("dtype", plan.Problem);
    }

    [Fact]
    public void Build_WhenNoSiloServesTheModel_SaysSo()
    {
        var plan = PipelinePlanner.Build("other", [Explicit("a", (0, 5))]);

        Assert.Contains("no silo serves model 'other'", plan.Problem);
    }

    [Fact]
    public void Metadata_WhenRoundTripped_KeepsTheAdvert()
    {
        var advert = Explicit("a", (0, 2), (4, 5)) with { Replica = 1, Replicas = 2, MemoryMb = 123, HeadLayers = 3.4722 };

        var back = SiloAdvert.FromMetadata("a", advert.ToMetadata())!;

        Assert.Equal(advert.Layers, back.Layers);
        Assert.Equal((1, 2, 123L, 3.4722), (back.Replica!.Value, back.Replicas, back.MemoryMb, back.HeadLayers));
    }

    private static SiloAdvert Spare(string silo) => new(silo, "m", 5, [], null, 1, 0);

    [Fact]
    public void Build_WhenTheWholePlanIsUpAndASpareWaits_TheSpareHostsNothing()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 2)), Explicit("b", (2, 4)), Explicit("c", (4, 5)), Spare("s")]);

        Assert.Equal(["a", "b", "c"], plan.Stages(0).Select(s => s.Silo));
    }

    [Fact]
    public void Build_WhenAMiddleSiloHasGone_TheSpareTakesItsRangeAndTheStageCountStays()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 2)), Explicit("c", (4, 5)), Spare("s")]);

        Assert.True(plan.IsComplete, plan.Problem);
        Assert.Equal(["a", "s", "c"], plan.Stages(0).Select(s => s.Silo));
        Assert.Equal((2, 4), (plan.Stages(0)[1].Layers.Start, plan.Stages(0)[1].Layers.End));
    }

    [Fact]
    public void Build_WhenTheLastSiloHasGone_TheSpareTakesTheLastLayers()
    {
        var plan = PipelinePlanner.Build("m", [Explicit("a", (0, 2)), Explicit("b", (2, 4)), Spare("s")]);

        Assert.Equal(["a", "b", "s"], plan.Stages(0).Select(s => s.Silo));
        Assert.True(plan.Stages(0)[^1].Layers.IsLast);
    }

    [Fact]
    public void Build_WhenOnlySparesServe_IsIncomplete()
    {
        var plan = PipelinePlanner.Build("m", [Spare("s"), Spare("t")]);

        Assert.False(plan.IsComplete);
        Assert.Contains("spare", plan.Problem);
    }

    [Fact]
    public void FromMetadata_WhenTheSiloIsASpare_ReadsBackASpare()
    {
        var advert = SiloAdvert.FromMetadata("s", Spare("s").ToMetadata());

        Assert.NotNull(advert);
        Assert.True(advert.Spare);
        Assert.False(advert.Automatic);
    }
}
