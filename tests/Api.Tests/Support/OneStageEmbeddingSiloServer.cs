namespace Cluster.Api.Tests.Support;

/// <summary>The encoder in one stage grain: the silo's default.</summary>
public sealed class OneStageEmbeddingSiloServer : EmbeddingSiloServer
{
    public override int EmbeddingStages => 1;
}
