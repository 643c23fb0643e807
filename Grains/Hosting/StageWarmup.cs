using Cluster.Grains.Pipeline;
using Cluster.Grains.Stages;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Hosting;

/// <summary>
/// Once the silo is active, waits (in the background: the other silos may not have joined yet)
/// for the model's plan and activates the stages it assigns to this silo, so their weights load
/// and pages are allocated before the first request instead of during it.
/// </summary>
public sealed partial class StageWarmup(SiloModel model, PipelinePlanView plans, IGrainFactory grains, ILocalSiloDetails local, ILogger<StageWarmup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(StageWarmup), ServiceLifecycleStage.Active, OnStart, OnStop);

    private Task OnStart(CancellationToken cancellationToken)
    {
        _ = Task.Run(() => WarmUpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task OnStop(CancellationToken cancellationToken) => _stopping.CancelAsync();

    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var plan = await plans.WaitAsync(model.Name, cancellationToken);
            if (!plan.IsComplete)
            {
                LogIncomplete(logger, plan.ToString());
                return;
            }
            var self = local.SiloAddress.ToParsableString();
            var mine = plan.Replicas.SelectMany((stages, r) => stages.Where(s => s.Silo == self).Select(s => new StageKey(model.Name, r, s.Stage))).ToArray();
            await Task.WhenAll(mine.Select(key => grains.GetGrain<IStageGrain>(key.ToString()).GetStatusAsync()));
            LogWarm(logger, string.Join(", ", mine), plan.ToString());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stages {Stages} loaded; plan {Plan}")]
    private static partial void LogWarm(ILogger logger, string stages, string plan);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No complete pipeline yet, stages load on first use: {Plan}")]
    private static partial void LogIncomplete(ILogger logger, string plan);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading this silo's stages failed; they load (and fail, naming the cause) on first use")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
