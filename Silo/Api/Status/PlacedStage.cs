using Cluster.Grains.Pipeline;

namespace Cluster.Silo.Api.Status;

/// <summary>One stage of one replica where a plan put it.</summary>
public sealed record PlacedStage(string Model, int Replica, StagePlacement Placement)
{
    public string Key => new StageKey(Model, Replica, Placement.Stage).ToString();

    public string LayerText => $"{Placement.Layers.Start}-{Placement.Layers.End - 1}";
}
