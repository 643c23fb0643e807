using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;

namespace Cluster.Grains.Routing;

/// <summary>
/// Asks every replica's stages for their pages and queues and picks the least loaded. A replica
/// with a stage that cannot be reached (its silo draining or gone, before the plan has moved its
/// layers) is passed over; when none answers, the router asks again for a while rather than fail
/// a request that the cluster is about to be able to serve.
/// </summary>
// Holds no state: any silo's local copy can answer, so routing never funnels through one activation.
[StatelessWorker]
public sealed class RouterGrain(PipelinePlanView plans) : Grain, IRouterGrain
{
    private string Model => this.GetPrimaryKeyString();

    /// <summary>How long the router keeps asking when no replica's stages can all be reached.</summary>
    private static readonly TimeSpan UnreachableBudget = TimeSpan.FromSeconds(30);

    public async Task<string> OpenSequenceAsync(CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + UnreachableBudget;
        while (true)
        {
            var plan = await plans.WaitAsync(Model, cancellationToken);
            var best = (Replica: -1, Free: -1, Load: int.MaxValue);
            Exception? unreachable = null;
            for (int r = 0; r < plan.Replicas.Count; r++)
            {
                StageStatus[] statuses;
                try
                {
                    statuses = await Task.WhenAll(plan.Stages(r).Select(s => Stage(r, s.Stage).GetStatusAsync()));
                }
                catch (Exception e) when (Unreachable(e))
                {
                    unreachable = e;
                    continue;
                }
                int free = statuses.Min(s => s.FreePages);
                int load = statuses.Max(s => s.Sequences) + statuses.Sum(s => s.QueueDepth);
                if (free > best.Free || (free == best.Free && load < best.Load)) best = (r, free, load);
            }
            if (best.Replica >= 0) return SequenceKey.New(Model, best.Replica).ToString();
            if (DateTime.UtcNow >= deadline) throw unreachable!;
            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>A stage's silo is leaving or gone: the call did not reach a live activation.</summary>
    private static bool Unreachable(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException;

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
