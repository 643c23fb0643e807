using Cluster.Engine.Model;

namespace Cluster.Grains.Pipeline;

/// <summary>Where one stage of one replica runs: its layers and its silo.</summary>
public sealed record StagePlacement(int Stage, LayerRange Layers, string Silo);
