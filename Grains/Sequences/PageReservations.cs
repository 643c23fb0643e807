using Cluster.Grains.Admission;
using Cluster.Grains.Hosting;
using Cluster.Grains.Stages;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// The sequence's pages on every stage of its pipeline: at admission, pages for its history (the
/// prompt, plus what it had generated when readmitted after preemption) on every stage or on none
/// (waiting, bounded, while a stage is short); then the stages add a page at a time as its steps
/// need one, and it learns of them with the token. Kept alive by lease renewals between steps,
/// freed everywhere when it ends. A stage that already holds the pages (a replay) keeps them and
/// says how much of the history they and its activation log hold.
/// </summary>
internal sealed class PageReservations(SequenceState state, SequencePipeline pipeline, ClusterSiloOptions options, ILogger logger)
{
    /// <summary>Each stage's page ids; empty once freed, a null entry for a stage that holds none.</summary>
    public int[][] Tables { get; private set; } = [];

    /// <summary>Per stage, positions [0, n) whose K/V its pages held at the last reservation.</summary>
    public int[] HeldTokens { get; private set; } = [];

    /// <summary>Per stage, positions [0, n) whose activations it could send on again at the last reservation.</summary>
    public int[] LoggedTokens { get; private set; } = [];

    /// <summary>
    /// Reserves the history's pages on every stage, waiting (bounded) while any stage is short: a
    /// stage that cannot give them all frees what the others just gave, so no sequence holds pages
    /// it cannot use while it waits. A stage that already holds the sequence's pages keeps them (a
    /// replay) and just learns the new attempt. A request that could never fit, even alone, fails at once.
    /// </summary>
    public async Task ReserveEverywhereAsync(DateTime deadline, CancellationToken cancellationToken)
    {
        var stages = pipeline.Stages;
        int tokens = state.HistoryTokens;
        if (Tables.Length != stages.Length) Tables = new int[stages.Length][];
        HeldTokens = new int[stages.Length];
        LoggedTokens = new int[stages.Length];
        var fresh = new bool[stages.Length];
        for (int s = 0; s < stages.Length; s++)
        {
            fresh[s] = Tables[s] is null;
            var reservation = await stages[s].ReservePagesAsync(state.Id, tokens, state.Epoch);
            int needed = (state.ReservedTokens + reservation.PageSize - 1) / reservation.PageSize;
            if (needed > reservation.PageCount)
            {
                if (reservation.Granted) Tables[s] = reservation.PageIds;
                await FreeEverywhereAsync();
                throw new ArgumentException(
                    $"the request needs {needed} KV pages ({state.ReservedTokens} tokens) on stage {s} of {state.Key.Model} replica {state.Key.Replica}, " +
                    $"which has {reservation.PageCount} pages in all; shorten the prompt or max_tokens");
            }
            if (reservation.Granted)
            {
                Tables[s] = reservation.PageIds;
                HeldTokens[s] = reservation.ComputedTokens;
                LoggedTokens[s] = reservation.LoggedTokens;
                continue;
            }
            await FreeFreshAsync(s, fresh);
            if (DateTime.UtcNow >= deadline)
            {
                await FreeEverywhereAsync();
                throw new ClusterOverloadedException(
                    $"no KV pages for {tokens} tokens on stage {s} of {state.Key.Model} replica {state.Key.Replica} " +
                    $"({reservation.FreePages} of {reservation.PageCount} pages free) after waiting {options.AdmissionTimeoutSeconds} s",
                    TimeSpan.FromSeconds(Math.Max(1, options.AdmissionTimeoutSeconds / 10)));
            }
            await Task.Delay(20, cancellationToken);
            s = -1; // from the first stage again
        }
    }

    /// <summary>Adds the pages the stages grew the tables by for a step (what its report says).</summary>
    public void Grew(int[]?[]? grown)
    {
        if (grown is null || grown.Length != Tables.Length) return;
        for (int s = 0; s < grown.Length; s++)
            if (grown[s] is { } added && Tables[s] is { } held) Tables[s] = [.. held, .. added];
    }

    /// <summary>Renews the pages' lease on every stage between steps (a long prefill elsewhere, a slow caller).</summary>
    public void RenewLeases()
    {
        // Each stage on its own: a send to a stage being placed again waits for its placement, and
        // must not hold up the renewals of the stages that kept their pages.
        var held = Tables;
        for (int s = 0; s < held.Length && !state.Finished; s++)
            if (held[s] is not null) _ = RenewAsync(pipeline.Stages[s]);
    }

    /// <summary>Frees on every stage that holds pages; a stage that cannot be reached frees them when their lease runs out.</summary>
    public async Task FreeEverywhereAsync()
    {
        var held = Tables;
        Tables = [];
        var frees = new List<Task>();
        for (int s = 0; s < held.Length; s++)
            if (held[s] is not null) frees.Add(FreeAsync(pipeline.Stages[s]));
        await Task.WhenAll(frees);
    }

    /// <summary>Frees what stages before <paramref name="short"/> reserved just now (not what a replay found they kept).</summary>
    private async Task FreeFreshAsync(int @short, bool[] fresh)
    {
        var frees = new List<Task>();
        for (int s = 0; s < @short; s++)
        {
            if (!fresh[s] || Tables[s] is null) continue;
            Tables[s] = null!;
            frees.Add(FreeAsync(pipeline.Stages[s]));
        }
        await Task.WhenAll(frees);
    }

    private async Task RenewAsync(IStageGrain stage)
    {
        try
        {
            await stage.RenewLeaseAsync(state.Id);
        }
        catch (Exception e)
        {
            SequenceGrain.LogSendFailed(logger, state.Id, e.Message); // a gone stage: the replay re-reserves there
        }
    }

    private async Task FreeAsync(IStageGrain stage)
    {
        try
        {
            await stage.FreePagesAsync(state.Id);
        }
        catch (Exception e)
        {
            SequenceGrain.LogFreeFailed(logger, state.Id, e.Message);
        }
    }
}
