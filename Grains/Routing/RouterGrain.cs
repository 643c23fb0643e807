using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;

namespace Cluster.Grains.Routing;

/// <summary>Asks every replica's stages for their pages and queues and picks the least loaded.</summary>
// Holds no state: any silo's local copy can answer, so routing never funnels through one activation.
[StatelessWorker]
public sealed class RouterGrain(PipelinePlanView plans) : Grain, IRouterGrain
{
    private string Model => this.GetPrimaryKeyString();

    public async Task<string> OpenSequenceAsync(CancellationToken cancellationToken = default)
    {
        var plan = await plans.WaitAsync(Model, cancellationToken);
        var best = (Replica: -1, Free: -1, Load: int.MaxValue);
        for (int r = 0; r < plan.Replicas.Count; r++)
        {
            var statuses = await Task.WhenAll(plan.Stages(r).Select(s => Stage(r, s.Stage).GetStatusAsync()));
            int free = statuses.Min(s => s.FreePages);
            int load = statuses.Max(s => s.Sequences) + statuses.Sum(s => s.QueueDepth);
            if (free > best.Free || (free == best.Free && load < best.Load)) best = (r, free, load);
        }
        return SequenceKey.New(Model, best.Replica).ToString();
    }

    public Task<PlanInfo> GetPlanAsync()
    {
        var plan = plans.Current(Model);
        return Task.FromResult(new PlanInfo(plan.IsComplete, plan.Replicas.Count, plan.Replicas.Select(r => r.Count).ToArray(), plan.ToString()));
    }

    public async Task<StageStatus[]> GetStagesAsync()
    {
        var plan = await plans.WaitAsync(Model, CancellationToken.None);
        var calls = plan.Replicas.SelectMany((stages, r) => stages.Select(s => Stage(r, s.Stage).GetStatusAsync()));
        return await Task.WhenAll(calls);
    }

    private IStageGrain Stage(int replica, int stage) => GrainFactory.GetGrain<IStageGrain>(new StageKey(Model, replica, stage).ToString());
}
