using Cluster.Grains.Sequences;

namespace Cluster.Grains.Stages;

/// <summary>
/// One pipeline stage of one replica of one model, keyed <c>model/replica/stage</c>
/// (<see cref="Pipeline.StageKey"/>): its layers' weights, its device's K/V pages and their
/// bookkeeping, and a continuous-batching executor.
/// </summary>
[Alias("cluster.stage")]
public interface IStageGrain : IGrainWithStringKey
{
    /// <summary>Makes the sequence's page table on this stage hold <paramref name="totalTokens"/> tokens (all or nothing).</summary>
    [Alias("reserve")]
    Task<PageReservation> ReservePagesAsync(string sequenceId, int totalTokens);

    /// <summary>Returns the sequence's pages to the pool (after any step of it still in the executor).</summary>
    [Alias("free")]
    Task FreePagesAsync(string sequenceId);

    /// <summary>On the last stage: the sampling settings, prompt and resolved seed that sampling the sequence's tokens needs.</summary>
    [Alias("register-sampling")]
    Task RegisterSamplingAsync(string sequenceId, SamplingSettings sampling, int[] promptTokenIds, long seed);

    /// <summary>
    /// Queues one step; the stage forwards the activations to the next stage (or samples and tells
    /// the sequence grain) when its pass is done. One-way: nobody waits on a hop, which is what lets
    /// many sequences' steps meet in one batch and the pipeline stream.
    /// </summary>
    [OneWay]
    [Alias("submit")]
    Task SubmitAsync(StageMessage message);

    [Alias("status")]
    Task<StageStatus> GetStatusAsync();
}
