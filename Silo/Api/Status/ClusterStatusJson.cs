using System.Text.Json.Nodes;
using Cluster.Grains.Encoders;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;
using Cluster.Grains.Telemetry;
using Cluster.Silo.Api.Admission;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// The body of <c>/v1/cluster/status</c>: what the <c>status</c> command prints and the live page
/// draws. Field names are the API's contract (docs/api.md); figures a stage could not give are absent.
/// </summary>
public static class ClusterStatusJson
{
    /// <param name="snapshot">the generation model's cluster; null where this silo serves none (its plan is then null and it has no stages).</param>
    public static JsonObject Build(ServedModels models, ClusterSnapshot? snapshot, AdmissionGate admission, ServingHistory history, StageLossLog losses)
    {
        var stages = snapshot?.Stages ?? [];
        return new JsonObject
        {
            ["model"] = models.Generation?.Id,
            ["at"] = (snapshot?.At ?? DateTimeOffset.UtcNow).ToString("O"),
            ["plan"] = snapshot is null ? null : Plan(snapshot.Plan),
            ["silos"] = Array(stages.Where(s => s.State != StageState.Lost).Select(s => s.Stage.Placement.Silo).Distinct().Select(s => (JsonNode)JsonValue.Create(s))),
            ["stages"] = Array(stages.Select((s, i) => (JsonNode)Stage(s, i + 1 < stages.Count && stages[i + 1].Stage.Replica == s.Stage.Replica ? stages[i + 1] : null))),
            ["lost_stages"] = Array(losses.Losses.Select(l => (JsonNode)Loss(l))),
            ["embedding_model"] = models.Embedding is { } encoder ? Embedding(encoder) : null,
            ["admission"] = new JsonObject
            {
                ["running"] = admission.Running,
                ["queued"] = admission.Queued,
                ["capacity"] = admission.Capacity,
            },
            ["serving"] = history.Latest is { } latest ? Point(latest) : null,
            ["history"] = Array(history.Points.Select(p => (JsonNode)Point(p))),
        };
    }

    private static JsonObject Plan(PipelinePlan plan) => new()
    {
        ["complete"] = plan.IsComplete,
        ["replicas"] = plan.Replicas.Count,
        ["stages_per_replica"] = Array(plan.Replicas.Select(r => (JsonNode)JsonValue.Create(r.Count))),
        ["description"] = plan.ToString(),
    };

    /// <summary>The encoder's stage grains and their layers; they hold no KV and keep nothing between requests, so there are no figures to read from them.</summary>
    private static JsonObject Embedding(ServedEncoder encoder) => new()
    {
        ["id"] = encoder.Id,
        ["dimensions"] = encoder.Dimensions,
        ["context_window"] = encoder.MaxTokens,
        ["stages"] = Array(encoder.StageLayers.Select((layers, stage) => (JsonNode)new JsonObject
        {
            ["key"] = ServedEncoder.StageKey(encoder.Id, stage),
            ["stage"] = stage,
            ["first_layer"] = layers.Start,
            ["last_layer"] = layers.End - 1,
        })),
    };

    /// <param name="next">the next stage of the same replica, whose arrival measured this stage's hop to it.</param>
    private static JsonObject Stage(StageView view, StageView? next)
    {
        var placement = view.Stage.Placement;
        var json = new JsonObject
        {
            ["key"] = view.Stage.Key,
            ["replica"] = view.Stage.Replica,
            ["stage"] = placement.Stage,
            ["state"] = view.State.ToString().ToLowerInvariant(),
            ["silo"] = placement.Silo,
            ["first_layer"] = placement.Layers.Start,
            ["last_layer"] = placement.Layers.End - 1,
        };
        if (view.Reason is { } reason) json["reason"] = reason;
        if (view.Loss is { } loss) json["loss"] = Loss(loss);
        if (view.Status is not { } s) return json;
        json["device"] = s.Device;
        json["page_count"] = s.PageCount;
        json["pages_free"] = s.FreePages;
        json["pages_used"] = s.PageCount - s.FreePages;
        json["page_size"] = s.PageSize;
        json["kv_cache_tokens"] = (long)s.PageCount * s.PageSize;
        json["kv_cache_bytes"] = s.KvCacheBytes;
        json["context_tokens"] = s.ContextTokens;
        json["max_concurrency"] = Math.Round(s.MaxConcurrency, 2);
        json["sequences"] = s.Sequences;
        json["queue_depth"] = s.QueueDepth;
        json["batches"] = s.Batches;
        json["largest_batch"] = s.LargestBatch;
        if (s.Live is { } live) json["live"] = Live(live, next?.Status?.Live);
        return json;
    }

    private static JsonObject Live(StageLiveFigures live, StageLiveFigures? next) => new()
    {
        ["busy_fraction"] = Math.Round(live.BusyFraction, 4),
        ["batch_size"] = Round(live.MeanBatchSize),
        ["batch_tokens"] = Round(live.MeanBatchTokens),
        ["forward_ms"] = Round(live.ForwardMs),
        // The last stage's hop goes to its sequence grains; the others' is measured by the next stage.
        ["hop_to_next_ms"] = Round(live.Serving is not null ? live.HopOutMs : next?.HopInMs),
        ["pages_used"] = live.PagesUsed,
        ["pages_cached"] = live.PagesCached,
        ["pages_free"] = live.PagesFree,
        ["serving"] = live.Serving is { } serving ? Serving(serving) : null,
    };

    private static JsonObject Serving(ServingFigures figures) => new()
    {
        ["running"] = figures.Running,
        ["waiting"] = figures.Waiting,
        ["generated_tokens"] = figures.GeneratedTokens,
        ["finished_requests"] = figures.FinishedRequests,
        ["ttft_ms"] = Round(figures.TimeToFirstTokenMs),
        ["tpot_ms"] = Round(figures.TimePerOutputTokenMs),
    };

    private static JsonObject Loss(StageLoss loss) => new()
    {
        ["key"] = loss.Key,
        ["layers"] = loss.Layers,
        ["silo"] = loss.Silo,
        ["lost_at"] = loss.LostAt.ToString("O"),
        ["replaced_by"] = loss.ReplacedBy,
        ["replaced_at"] = loss.ReplacedAt?.ToString("O"),
    };

    private static JsonObject Point(ServingPoint point) => new()
    {
        ["at"] = point.At.ToString("O"),
        ["running"] = point.Running,
        ["waiting"] = point.Waiting,
        ["tokens_per_s"] = Math.Round(point.TokensPerSecond, 2),
        ["ttft_ms"] = Round(point.TimeToFirstTokenMs),
        ["tpot_ms"] = Round(point.TimePerOutputTokenMs),
    };

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items]);
}
