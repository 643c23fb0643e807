using System.Text.Json.Nodes;
using Cluster.Grains.Routing;
using Cluster.Silo.Api.Admission;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// <c>GET /v1/cluster/status</c>: the model's plan and every stage of every replica (silo, layer
/// range, device, KV pages used and free, queue depth), gathered through the router, plus this
/// silo's admission queue. What the <c>status</c> command prints and tests read page counts from.
/// </summary>
public static class ClusterStatusEndpoint
{
    public static async Task<IResult> GetAsync(IGrainFactory grains, ServedModel model, AdmissionGate admission)
    {
        var router = grains.GetGrain<IRouterGrain>(model.Id);
        var plan = await router.GetPlanAsync();
        var stages = plan.Complete ? await router.GetStagesAsync() : [];
        var body = new JsonObject
        {
            ["model"] = model.Id,
            ["plan"] = new JsonObject
            {
                ["complete"] = plan.Complete,
                ["replicas"] = plan.Replicas,
                ["stages_per_replica"] = new JsonArray(plan.StagesPerReplica.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["description"] = plan.Description,
            },
            ["silos"] = new JsonArray(stages.Select(s => s.Silo).Distinct().Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["stages"] = new JsonArray(stages.Select(s => (JsonNode)new JsonObject
            {
                ["key"] = s.Key,
                ["silo"] = s.Silo,
                ["device"] = s.Device,
                ["first_layer"] = s.FirstLayer,
                ["last_layer"] = s.EndLayer - 1,
                ["page_count"] = s.PageCount,
                ["pages_free"] = s.FreePages,
                ["pages_used"] = s.PageCount - s.FreePages,
                ["page_size"] = s.PageSize,
                ["kv_cache_tokens"] = (long)s.PageCount * s.PageSize,
                ["kv_cache_bytes"] = s.KvCacheBytes,
                ["context_tokens"] = s.ContextTokens,
                ["max_concurrency"] = Math.Round(s.MaxConcurrency, 2),
                ["sequences"] = s.Sequences,
                ["queue_depth"] = s.QueueDepth,
                ["batches"] = s.Batches,
                ["largest_batch"] = s.LargestBatch,
            }).ToArray()),
            ["admission"] = new JsonObject
            {
                ["running"] = admission.Running,
                ["queued"] = admission.Queued,
                ["capacity"] = admission.Capacity,
            },
        };
        return Results.Content(body.ToJsonString(), "application/json");
    }
}
