using System.Text.Json.Nodes;
using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Models;

/// <summary><c>GET /v1/models</c>: the one model this silo serves, with what it is (the embedded default says so).</summary>
public static class ModelsEndpoint
{
    public static IResult List(ServedModel model) => Results.Content(new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(new JsonObject
        {
            ["id"] = model.Id,
            ["object"] = "model",
            ["created"] = model.Created,
            ["owned_by"] = model.IsEmbeddedDefault ? "embedded-default" : "cluster",
            ["description"] = model.Description,
            ["embedded_default"] = model.IsEmbeddedDefault,
            ["context_window"] = model.ContextWindow,
            ["chat_template"] = model.HasOwnChatTemplate ? "model" : "default",
        }),
    }.ToJsonString(), "application/json");

    /// <summary>404 naming the model and what is served instead.</summary>
    public static void EnsureServed(ServedModel model, string requested)
    {
        if (requested != model.Id)
            throw ApiException.NotFound($"the model '{requested}' does not exist; this server serves '{model.Id}'", "model", "model_not_found");
    }
}
