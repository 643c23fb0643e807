using Cluster.Grains.Hosting;
using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;

namespace Cluster.Grains.Sequences;

/// <summary>
/// The stages a sequence runs through, and the silos they are on, from its replica's plan. After a
/// loss the plan is waited for until it is whole again on live silos, with the same stage split
/// (stage keys, and what each stage holds of the sequence, depend on it).
/// </summary>
internal sealed class SequencePipeline(SequenceKey key, PipelinePlanView plans, SiloLiveness liveness, IGrainFactory grains, ClusterSiloOptions options)
{
    public IStageGrain[] Stages { get; private set; } = [];

    public string[] Silos { get; private set; } = [];

    /// <summary>The first of the stages' silos that membership says is gone, if any.</summary>
    public string? FirstGone() => liveness.FirstGone(Silos);

    public async Task UseCurrentAsync(CancellationToken cancellationToken) => Use(await plans.WaitAsync(key.Model, cancellationToken));

    /// <summary>Waits until the plan is whole again with every stage on a live silo (the same stage count: keys stay valid).</summary>
    public async Task WaitForLivePlanAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var plan = plans.Current(key.Model);
            if (plan.IsComplete)
            {
                var stages = plan.Stages(key.Replica);
                if (stages.Count != Stages.Length)
                {
                    throw new InvalidOperationException($"sequence {key}: the pipeline now has {stages.Count} stages instead of {Stages.Length} " +
                        "(adjacent silos died with one spare); a replay needs the same stage split");
                }
                if (liveness.FirstGone(stages.Select(s => s.Silo)) is null)
                {
                    Use(plan);
                    return;
                }
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"sequence {key}: no whole pipeline on live silos after {options.PlanTimeoutSeconds} s: {plan}");
            await Task.Delay(100, cancellationToken);
        }
    }

    private void Use(PipelinePlan plan)
    {
        var stages = plan.Stages(key.Replica);
        Stages = stages.Select(s => grains.GetGrain<IStageGrain>(new StageKey(key.Model, key.Replica, s.Stage).ToString())).ToArray();
        Silos = stages.Select(s => s.Silo).ToArray();
    }
}
