using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// Reads every stage of a model for <c>/v1/cluster/status</c> and the live page. Each stage is
/// asked on its own with a short deadline, so a silo that died (and is not yet declared dead)
/// costs the reading a moment instead of stalling it: its stage shows as lost.
/// </summary>
public sealed class ClusterView(IGrainFactory grains, PipelinePlanView plans, SiloLiveness liveness, StageLossLog losses, TimeProvider time)
{
    /// <summary>How long one stage may take to report; a live stage answers in milliseconds.</summary>
    public static readonly TimeSpan StageDeadline = TimeSpan.FromSeconds(2);

    public async Task<ClusterSnapshot> ReadAsync(string model)
    {
        var plan = plans.Current(model);
        IReadOnlyList<PlacedStage> layout;
        if (plan.IsComplete)
        {
            layout = [.. plan.Replicas.SelectMany((stages, r) => stages.Select(s => new PlacedStage(model, r, s)))];
            losses.Observe(layout);
        }
        else
        {
            layout = losses.LastLayout;
        }
        var views = await Task.WhenAll(layout.Select(stage => ReadAsync(stage, plan.IsComplete)));
        return new ClusterSnapshot(plan, views, time.GetUtcNow());
    }

    private async Task<StageView> ReadAsync(PlacedStage stage, bool planComplete)
    {
        if (liveness.IsGone(stage.Placement.Silo)) return new StageView(stage, StageState.Lost, null, losses.Lost(stage), "its silo is gone");
        string? reason;
        try
        {
            var status = await grains.GetGrain<IStageGrain>(stage.Key).GetStatusAsync().WaitAsync(StageDeadline);
            return new StageView(stage, StageState.Serving, status, losses.ReplacementOf(stage.Key, stage.Placement.Silo), null);
        }
        catch (TimeoutException)
        {
            reason = $"no answer within {StageDeadline.TotalSeconds:0} s";
        }
        catch (Exception e)
        {
            // Whatever the failure (a dead silo's rejection, an activation that cannot find its
            // plan), what a reader needs to know is that the stage does not answer, and why.
            reason = e.Message;
        }
        if (planComplete && losses.ReplacementOf(stage.Key, stage.Placement.Silo) is { } loss)
            return new StageView(stage, StageState.Replacing, null, loss, "loading its layers on the silo that took them over");
        return new StageView(stage, StageState.Lost, null, null, reason);
    }
}
