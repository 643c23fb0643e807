using Cluster.Grains.Client;
using Cluster.Grains.Encoders;
using Cluster.Grains.Hosting;
using Cluster.Grains.Routing;
using Cluster.Silo.Api.Models;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Health;

/// <summary>
/// After the silo starts: loads the models it serves, so the first request does not pay for
/// loading and <c>/ready</c> means "can serve". The generation model (where one is served) waits
/// for a complete pipeline and then activates every stage, each loading its layers; the embedding
/// model (where one is served) has each of its stage grains load its layers.
/// </summary>
public sealed partial class WarmupService(IGrainFactory grains, ServedModels models, IOptions<ClusterSiloOptions> options, Readiness readiness,
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
                if (models.Generation is { } generation) await WarmUpAsync(generation, stoppingToken);
                if (models.Embedding is { } embedding) await WarmUpAsync(embedding);
                readiness.MarkWarmedUp();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWarmupRetry(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task WarmUpAsync(ServedModel model, CancellationToken stoppingToken)
    {
        readiness.WaitingFor($"no complete pipeline for '{model.Id}' yet");
        await grains.WaitForPlanAsync(model.Id, TimeSpan.FromSeconds(options.Value.PlanTimeoutSeconds), stoppingToken);
        readiness.WaitingFor("the stages' weights are loading");
        var stages = await grains.GetGrain<IRouterGrain>(model.Id).GetStagesAsync();
        LogReady(logger, model.Id, stages.Length);
    }

    private async Task WarmUpAsync(ServedEncoder encoder)
    {
        readiness.WaitingFor($"the layers of the embedding model '{encoder.Id}' are loading");
        await Task.WhenAll(Enumerable.Range(0, encoder.StageCount).Select(stage =>
            grains.GetGrain<IEncoderStageGrain>(ServedEncoder.StageKey(encoder.Id, stage)).LoadAsync()));
        LogReady(logger, encoder.Id, encoder.StageCount);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model '{Model}' is ready: {Stages} stages loaded")]
    private static partial void LogReady(ILogger logger, string model, int stages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready yet ({Problem}); retrying")]
    private static partial void LogWarmupRetry(ILogger logger, string problem);
}
