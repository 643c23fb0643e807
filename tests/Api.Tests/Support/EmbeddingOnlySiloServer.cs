namespace Cluster.Api.Tests.Support;

/// <summary>
/// all-MiniLM-L6-v2 alone: <c>--embedding-model</c> with no <c>--model</c>, so the silo loads no
/// generation model. Two stage grains, so the activations still go from stage to stage.
/// </summary>
public sealed class EmbeddingOnlySiloServer : SiloServer
{
    public const string EmbeddingModel = EmbeddingSiloServer.EmbeddingModel;

    public const int EmbeddingStages = 2;

    protected override IEnumerable<string> Arguments() =>
    [
        "--embedding-model", SharedModels.Path("all-MiniLM-L6-v2-hf"), "--embedding-model-name", EmbeddingModel,
        "--embedding-stages", EmbeddingStages.ToString(),
    ];
}
