using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Tests.Support;

/// <summary>The checkpoint the silos under test load, opened in the test process for the oracle.</summary>
public static class ReferenceCheckpoint
{
    public static ICheckpoint Open() => SharedModels.Stories260K.StartsWith("synthetic:", StringComparison.Ordinal)
        ? new SyntheticCheckpoint(SyntheticShapes.Get("stories260k"))
        : CheckpointLoader.Open(SharedModels.Stories260K);
}
