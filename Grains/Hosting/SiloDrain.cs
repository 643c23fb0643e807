using Cluster.Engine.Paging;
using Cluster.Grains.Admission;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Hosting;

/// <summary>
/// Graceful shutdown: when the silo begins to stop (SIGTERM, host stop) it admits no new sequence
/// and waits, up to <see cref="ClusterSiloOptions.DrainTimeoutSeconds"/>, for the sequences that
/// run here and the pages its stages hold to reach zero. Whatever is left when the time is up is
/// handed over the same way a crash is: the silo leaves, its stages are placed again, and the
/// sequences that used them replay their history (or, for sequences that lived here, their
/// callers resume them).
/// </summary>
public sealed partial class SiloDrain(SiloModel model, AdmissionQueue admission, ILogger<SiloDrain> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly List<SequencePages> _stages = [];

    public bool Draining { get; private set; }

    public void Participate(ISiloLifecycle lifecycle) =>
        // Stopped first of all (lifecycles stop in reverse), while grains and messaging still work.
        lifecycle.Subscribe(nameof(SiloDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    /// <summary>A stage's pages, watched while draining; dispose when the stage goes.</summary>
    public IDisposable Track(SequencePages pages)
    {
        lock (_stages) _stages.Add(pages);
        return new Untrack(this, pages);
    }

    private int HeldPages()
    {
        lock (_stages) return _stages.Sum(p => p.UsedPages);
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        Draining = true;
        admission.Close();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(model.Options.DrainTimeoutSeconds);
        LogDraining(logger, admission.Running, HeldPages(), model.Options.DrainTimeoutSeconds);
        while ((admission.Running > 0 || HeldPages() > 0) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        LogDrained(logger, admission.Running, HeldPages());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Sequences} sequences run here and stages hold {Pages} pages; waiting up to {Timeout} s")]
    private static partial void LogDraining(ILogger logger, int sequences, int pages, double timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Sequences} sequences and {Pages} pages left to replay elsewhere")]
    private static partial void LogDrained(ILogger logger, int sequences, int pages);

    private sealed class Untrack(SiloDrain drain, SequencePages pages) : IDisposable
    {
        public void Dispose()
        {
            lock (drain._stages) drain._stages.Remove(pages);
        }
    }
}
