namespace Cluster.Api.Tests.Support;

/// <summary>stories260K for generation and all-MiniLM-L6-v2 for embeddings, its 6 layers cut into <see cref="EmbeddingStages"/> stage grains.</summary>
public abstract class EmbeddingSiloServer : SiloServer
{
    public const string EmbeddingModel = "minilm";

    public abstract int EmbeddingStages { get; }

    protected override IEnumerable<string> Arguments() =>
    [
        "--model", SharedModels.Path("stories260K", "stories260K.bin"), "--tokenizer", SharedModels.Path("stories260K", "tok512.bin"), "--model-name", Model,
        "--embedding-model", SharedModels.Path("all-MiniLM-L6-v2-hf"), "--embedding-model-name", EmbeddingModel,
        "--embedding-stages", EmbeddingStages.ToString(),
    ];
}
