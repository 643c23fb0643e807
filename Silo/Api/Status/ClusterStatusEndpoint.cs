using Cluster.Silo.Api.Admission;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// <c>GET /v1/cluster/status</c>: the model's plan and every stage of every replica (silo, layer
/// range, device, KV pages, queue depth, live figures, or that it is lost), read now; the stages
/// lost since this silo started and what replaced them; this silo's admission queue; the last
/// minutes of the cluster's serving figures; and the embedding model's stages where one is served
/// (a silo serving only that has no plan or decoder stages to read). What the <c>status</c>
/// command prints, the live page draws, and tests read page counts from.
/// </summary>
public static class ClusterStatusEndpoint
{
    public static async Task<IResult> GetAsync(ClusterView view, ServedModels models, AdmissionGate admission, ServingHistory history, StageLossLog losses)
    {
        var snapshot = models.Generation is { } model ? await view.ReadAsync(model.Id) : null;
        return Results.Content(ClusterStatusJson.Build(models, snapshot, admission, history, losses).ToJsonString(), "application/json");
    }
}
