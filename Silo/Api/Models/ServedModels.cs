using Cluster.Grains.Encoders;
using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Models;

/// <summary>
/// The models this silo's API serves: a generation model, an embedding model, or both
/// (<see cref="Grains.Hosting.ClusterSiloOptions.ServesGenerationModel"/> says which). Endpoints
/// ask here for the model a request names, so a model this silo lacks is one clear 404 rather
/// than a missing service.
/// </summary>
public sealed class ServedModels(ServedModel? generation, ServedEncoder? embedding)
{
    /// <summary>The decoder served at <c>/v1/completions</c> and <c>/v1/chat/completions</c>; null on an embeddings-only silo.</summary>
    public ServedModel? Generation { get; } = generation;

    /// <summary>The encoder served at <c>/v1/embeddings</c>; null without <c>--embedding-model</c>.</summary>
    public ServedEncoder? Embedding { get; } = embedding;

    /// <summary>When the models were opened, as <c>/v1/models</c>' <c>created</c>.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The generation model <paramref name="requested"/> names; else 404 saying what this silo serves instead.</summary>
    public ServedModel GenerationModel(string requested)
    {
        if (Generation is { } model && requested == model.Id) return model;
        bool embeddingModel = requested == Embedding?.Id;
        string instead = Generation is { } generation ? $"this server serves '{generation.Id}'"
            : embeddingModel ? "this server serves no generation model"
            : $"this server serves no generation model, only the embedding model '{Embedding?.Id}' (POST /v1/embeddings)";
        string message = embeddingModel
            ? $"the model '{requested}' makes embeddings (POST /v1/embeddings), not text; {instead}"
            : $"the model '{requested}' does not exist; {instead}";
        throw ApiException.NotFound(message, "model", "model_not_found");
    }

    /// <summary>The embedding model, whichever id the request names (the reader checks it); else 404.</summary>
    public ServedEncoder EmbeddingModel() =>
        Embedding ?? throw ApiException.NotFound("this server serves no embedding model (start it with --embedding-model)", "model", "model_not_found");
}
