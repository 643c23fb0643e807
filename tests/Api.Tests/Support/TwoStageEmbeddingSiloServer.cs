namespace Cluster.Api.Tests.Support;

/// <summary>The encoder in two stage grains, activations forwarded from the first to the second.</summary>
public sealed class TwoStageEmbeddingSiloServer : EmbeddingSiloServer
{
    public override int EmbeddingStages => 2;
}
