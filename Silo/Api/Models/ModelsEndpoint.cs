using System.Text.Json.Nodes;
using Cluster.Grains.Encoders;

namespace Cluster.Silo.Api.Models;

/// <summary>
/// <c>GET /v1/models</c>: the models this silo serves, each with its <c>kind</c>: the generation
/// model (the embedded default says so) and the embedding model, whichever of the two are served.
/// </summary>
public static class ModelsEndpoint
{
    public static IResult List(ServedModels models)
    {
        var data = new JsonArray();
        if (models.Generation is { } generation) data.Add(Generation(generation, models.Created));
        if (models.Embedding is { } embedding) data.Add(Embedding(embedding, models.Created));
        return Results.Content(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), "application/json");
    }

    private static JsonObject Generation(ServedModel model, long created) => new()
    {
        ["id"] = model.Id,
        ["object"] = "model",
        ["created"] = created,
        ["owned_by"] = model.IsEmbeddedDefault ? "embedded-default" : "cluster",
        ["kind"] = "generation",
        ["description"] = model.Description,
        ["embedded_default"] = model.IsEmbeddedDefault,
        ["context_window"] = model.ContextWindow,
        ["chat_template"] = model.HasOwnChatTemplate ? "model" : "default",
    };

    private static JsonObject Embedding(ServedEncoder encoder, long created) => new()
    {
        ["id"] = encoder.Id,
        ["object"] = "model",
        ["created"] = created,
        ["owned_by"] = "cluster",
        ["kind"] = "embedding",
        ["description"] = $"BERT encoder, {encoder.Config.NumHiddenLayers} layers in {encoder.StageCount} stage(s), {encoder.Pooling.Mode.ToString().ToLowerInvariant()} pooling{(encoder.Pooling.Normalize ? ", normalized" : "")}",
        ["dimensions"] = encoder.Dimensions,
        ["context_window"] = encoder.MaxTokens,
    };
}
