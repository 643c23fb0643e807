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
    /// <summary>
    /// Makes the sequence's page table on this stage hold <paramref name="totalTokens"/> tokens (all
    /// or nothing; a table that holds them already is kept as it is) and starts attempt
    /// <paramref name="epoch"/>: steps of older attempts are dropped from now on.
    /// </summary>
    [Alias("reserve")]
    Task<PageReservation> ReservePagesAsync(string sequenceId, int totalTokens, int epoch = 0);

    /// <summary>
    /// The sequence grain is alive: keeps its pages' lease (one-way keep-alive between steps; a
    /// lease that runs out frees the pages of a sequence whose grain died with its silo).
    /// </summary>
    [OneWay]
    [Alias("renew")]
    Task RenewLeaseAsync(string sequenceId);

    /// <summary>Returns the sequence's pages to the pool (after any step of it still in the executor).</summary>
    [Alias("free")]
    Task FreePagesAsync(string sequenceId);

    /// <summary>
    /// On the last stage: the sampling settings, prompt, tokens generated so far (a replay or a
    /// resumed request has some) and resolved seed that sampling the sequence's next tokens needs.
    /// Registering again replaces what was there.
    /// </summary>
    [Alias("register-sampling")]
    Task RegisterSamplingAsync(string sequenceId, SamplingSettings sampling, int[] promptTokenIds, int[] outputTokenIds, long seed);

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
