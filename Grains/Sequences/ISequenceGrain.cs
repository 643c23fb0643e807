using Cluster.Grains.Stages;

namespace Cluster.Grains.Sequences;

/// <summary>
/// One request, keyed <c>model/replica/id</c> (<see cref="Pipeline.SequenceKey"/>): its token
/// history, sampling settings and page tables on every stage of its replica. Placed on the
/// replica's last-stage silo, so a sampled token reaches it without a network hop.
/// </summary>
[Alias("cluster.sequence")]
public interface ISequenceGrain : IGrainWithStringKey
{
    /// <summary>Runs the request and streams its tokens; cancelling stops it and frees its pages.</summary>
    [Alias("generate")]
    IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken = default);

    /// <summary>The last stage's report of a finished step (one-way: the stage never waits on it).</summary>
    [OneWay]
    [Alias("on-outcome")]
    Task OnStageOutcomeAsync(StageOutcome outcome);

    /// <summary>
    /// A stage ran out of pages and this is its newest running sequence: give way (free every page,
    /// wait at the front of the admission queue, recompute the history when readmitted). Ignored
    /// unless <paramref name="epoch"/> is the sequence's current attempt and it is running.
    /// </summary>
    [OneWay]
    [Alias("give-way")]
    Task GiveWayAsync(int epoch);

    /// <summary>Its silo, the page ids it holds on each stage (none once finished) and its token history.</summary>
    [Alias("status")]
    Task<SequenceStatus> GetStatusAsync();
}
