using Cluster.Grains.Client;
using Cluster.Grains.Hosting;
using Cluster.Grains.Routing;
using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Health;

/// <summary>
/// After the silo starts: waits for a complete pipeline, then activates every stage (each loads
/// its layers), so the first request does not pay for loading and <c>/ready</c> means "can serve".
/// </summary>
public sealed partial class WarmupService(IGrainFactory grains, ServedModel model, SiloModel source, Readiness readiness,
    IHostApplicationLifetime lifetime, ILogger<WarmupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Grain calls need the silo running; the application has started once Orleans has.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                readiness.WaitingFor($"no complete pipeline for '{model.Id}' yet");
                await grains.WaitForPlanAsync(model.Id, TimeSpan.FromSeconds(source.Options.PlanTimeoutSeconds), stoppingToken);
                readiness.WaitingFor("the stages' weights are loading");
                var stages = await grains.GetGrain<IRouterGrain>(model.Id).GetStagesAsync();
                readiness.MarkWarmedUp();
                LogReady(logger, model.Id, stages.Length);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWarmupRetry(logger, model.Id, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model '{Model}' is ready: {Stages} stages loaded")]
    private static partial void LogReady(ILogger logger, string model, int stages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model '{Model}' is not ready yet ({Problem}); retrying")]
    private static partial void LogWarmupRetry(ILogger logger, string model, string problem);
}
