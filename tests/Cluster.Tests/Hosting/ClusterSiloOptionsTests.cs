using Cluster.Grains.Hosting;

namespace Cluster.Tests.Hosting;

public sealed class ClusterSiloOptionsTests
{
    private static readonly ClusterSiloOptionsValidator Validator = new();

    [Fact]
    public void Validate_WhenDefaults_Succeeds()
    {
        Assert.True(Validator.Validate(null, new ClusterSiloOptions()).Succeeded);
    }

    [Theory]
    [InlineData("0-", "Layers")]
    [InlineData("2-1", "Layers")]
    [InlineData("a", "Layers")]
    public void Validate_WhenLayersAreMalformed_NamesTheOption(string layers, string option)
    {
        var result = Validator.Validate(null, new ClusterSiloOptions { Layers = layers });

        Assert.True(result.Failed);
        Assert.Contains(option, result.FailureMessage);
        Assert.Contains(layers, result.FailureMessage);
    }

    [Fact]
    public void Validate_WhenTwoPlansAreGiven_SaysOnlyOne()
    {
        var result = Validator.Validate(null, new ClusterSiloOptions { Layers = "0-1", Auto = true });

        Assert.Contains("at most one of Layers, Stages and Auto", result.FailureMessage);
    }

    [Fact]
    public void Validate_WhenReplicaIsOutsideReplicas_NamesTheRange()
    {
        var result = Validator.Validate(null, new ClusterSiloOptions { Replicas = 2, Replica = 2 });

        Assert.Contains("Replica must be in 0..1", result.FailureMessage);
    }

    [Fact]
    public void Parse_WhenSeveralInclusiveRanges_ReturnsEachPair()
    {
        Assert.Equal([(0, 1), (4, 4)], InclusiveRanges.Parse("0-1, 4"));
    }

    [Fact]
    public void HostedLayers_WhenStagesOfAnEvenSplitAreGiven_ReturnsTheirLayerRanges()
    {
        using var model = SiloModel.Open(new ClusterSiloOptions { Model = "synthetic:stories260k", Stages = "1-2", StageCount = 3 });

        var ranges = model.HostedLayers()!;

        Assert.Equal([(2, 4), (4, 5)], ranges.Select(r => (r.Start, r.End)));
    }
}
