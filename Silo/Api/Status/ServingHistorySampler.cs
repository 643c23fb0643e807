using Cluster.Silo.Api.Models;

namespace Cluster.Silo.Api.Status;

/// <summary>
/// Reads the cluster every <see cref="Interval"/> into <see cref="ServingHistory"/>, whether or not
/// a page is open, so a page opened now shows the last minutes, and a stage lost meanwhile is known.
/// </summary>
public sealed partial class ServingHistorySampler(ClusterView view, ServingHistory history, ServedModels models, ILogger<ServingHistorySampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The serving figures are a decoder pipeline's: a silo serving only an embedding model has none.
        if (models.Generation is not { } model) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                history.Add(await view.ReadAsync(model.Id));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be joining, or leaving: the next tick tries again.
                LogSampleFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "serving history: the cluster could not be read ({Reason})")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
