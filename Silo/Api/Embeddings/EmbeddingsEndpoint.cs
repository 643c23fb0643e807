using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Cluster.Grains.Encoders;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Requests;

namespace Cluster.Silo.Api.Embeddings;

/// <summary>
/// <c>POST /v1/embeddings</c> (OpenAI's shape): the inputs go to the encoder's first stage grain,
/// whose passes batch them with other requests' and hand them down the stages; the last stage's
/// embeddings come back in order, as float lists or base64 of little-endian float32.
/// </summary>
public static class EmbeddingsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpRequest http, IGrainFactory grains, ServedModels models, CancellationToken cancellationToken)
    {
        var encoder = models.EmbeddingModel();
        var request = EmbeddingsRequestReader.Read(await RequestReader.ReadAsync(http, cancellationToken), encoder);
        var first = grains.GetGrain<IEncoderStageGrain>(ServedEncoder.StageKey(encoder.Id, 0));
        var vectors = await first.EmbedAsync(request.Inputs.Select(EncoderSequence.OfIds).ToArray()).WaitAsync(cancellationToken);
        int tokens = request.Inputs.Sum(i => i.Length);
        var data = new JsonArray();
        for (int i = 0; i < vectors.Length; i++)
        {
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = request.Base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vectors[i].AsSpan())) : new JsonArray(vectors[i].Select(v => (JsonNode)v).ToArray()),
            });
        }
        return Results.Content(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request.Model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString(), "application/json");
    }
}
