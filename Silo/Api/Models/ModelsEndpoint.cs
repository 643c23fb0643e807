using System.Text.Json.Nodes;
using Cluster.Grains.Encoders;
using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Models;

/// <summary>
/// <c>GET /v1/models</c>: the models this silo serves, each with its <c>kind</c>: the generation
/// model (the embedded default says so) and, when one is served, the embedding model.
/// </summary>
public static class ModelsEndpoint
{
    public static IResult List(ServedModel model, IServiceProvider services)
    {
        var data = new JsonArray(new JsonObject
        {
            ["id"] = model.Id,
            ["object"] = "model",
            ["created"] = model.Created,
            ["owned_by"] = model.IsEmbeddedDefault ? "embedded-default" : "cluster",
            ["kind"] = "generation",
            ["description"] = model.Description,
            ["embedded_default"] = model.IsEmbeddedDefault,
            ["context_window"] = model.ContextWindow,
            ["chat_template"] = model.HasOwnChatTemplate ? "model" : "default",
        });
        if (services.GetService<ServedEncoder>() is { } encoder)
        {
            data.Add(new JsonObject
            {
                ["id"] = encoder.Id,
                ["object"] = "model",
                ["created"] = model.Created,
                ["owned_by"] = "cluster",
                ["kind"] = "embedding",
                ["description"] = $"BERT encoder, {encoder.Config.NumHiddenLayers} layers in {encoder.StageCount} stage(s), {encoder.Pooling.Mode.ToString().ToLowerInvariant()} pooling{(encoder.Pooling.Normalize ? ", normalized" : "")}",
                ["dimensions"] = encoder.Dimensions,
                ["context_window"] = encoder.MaxTokens,
            });
        }
        return Results.Content(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString(), "application/json");
    }

    /// <summary>404 naming the model and what is served instead.</summary>
    public static void EnsureServed(ServedModel model, string requested)
    {
        if (requested != model.Id)
            throw ApiException.NotFound($"the model '{requested}' does not exist; this server serves '{model.Id}'", "model", "model_not_found");
    }
}
