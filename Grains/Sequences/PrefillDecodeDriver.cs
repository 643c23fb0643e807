using Cluster.Grains.Hosting;
using Cluster.Grains.Stages;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Sequences;

/// <summary>
/// Drives one attempt of the sequence through the pipeline: the history (prompt, plus any tokens
/// already streamed) to stage 0 as prefill chunks, the next only after the last stage reports the
/// previous done, then one decode step per sampled token. Every step is a one-way message to
/// stage 0; the last stage's reports come back through the grain's <c>OnStageOutcomeAsync</c>.
/// </summary>
internal sealed class PrefillDecodeDriver(SequenceState state, SequencePipeline pipeline, PageReservations pages, ClusterSiloOptions options, ILogger logger)
{
    private int[] _history = [];
    private int[]? _computeFrom;

    /// <summary>Tokens the current attempt sends as prefill.</summary>
    public int HistoryLength => _history.Length;

    /// <summary>History tokens sent so far in the current attempt.</summary>
    public int Prefilled { get; private set; }

    /// <summary>Where each stage starts computing in the current attempt (all zero outside a replay).</summary>
    public int[] ComputeFrom => _computeFrom ?? new int[pipeline.Stages.Length];

    /// <summary>
    /// Sends the history under the current attempt: the prompt, or prompt + tokens already streamed,
    /// from the first position some stage lacks (what the reservations said each stage holds).
    /// </summary>
    public async Task StartAttemptAsync()
    {
        _history = [.. state.Prompt, .. state.Outputs];
        var from = ReplayPlan.ComputeFrom(_history.Length, pages.HeldTokens, pages.LoggedTokens);
        _computeFrom = from.Any(f => f > 0) ? from : null;
        Prefilled = from.Min();
        state.LastProgress = DateTime.UtcNow;
        await pipeline.Stages[^1].RegisterSamplingAsync(state.Id, state.Sampling, state.Prompt, [.. state.Outputs], state.Seed);
        await SendNextChunkAsync();
    }

    /// <summary>A report of the last stage: an error ends the stream, a finished chunk sends the next, a token is streamed and decoded on.</summary>
    public async Task OnOutcomeAsync(StageOutcome outcome)
    {
        if (state.Finished || state.Stream is not { } stream || outcome.Epoch != state.Epoch) return; // a report of an attempt a replay replaced
        state.LastProgress = DateTime.UtcNow;
        pages.Grew(outcome.GrownPages);
        if (outcome.Error is { } error)
        {
            state.Finish(new InvalidOperationException($"sequence {state.Id}: {error}"));
            return;
        }
        if (outcome.TokenId is not { } token)
        {
            await SendNextChunkAsync(); // a prefill chunk before the last is done
            return;
        }

        var finish = state.Append(token);
        stream.Write(new GeneratedToken(token, outcome.Logprob, state.Outputs.Count - 1, finish) { TopTokenIds = outcome.TopTokenIds, TopLogprobs = outcome.TopLogprobs });
        if (finish is not null)
        {
            state.Finish();
            // The last token needs no K/V: free now, not when the caller gets round to reading it.
            await pages.FreeEverywhereAsync();
            return;
        }
        await SubmitAsync(new StageMessage
        {
            SequenceId = state.Id,
            CachedTokens = state.Prompt.Length + state.Outputs.Count - 1,
            TokenCount = 1,
            TokenIds = [token],
            Sample = true,
            StageCount = pipeline.Stages.Length,
            Epoch = state.Epoch,
        });
    }

    private async Task SendNextChunkAsync()
    {
        int start = Prefilled, count = Math.Min(options.PrefillChunkTokens, _history.Length - start);
        if (count <= 0) return;
        Prefilled += count;
        await SubmitAsync(new StageMessage
        {
            SequenceId = state.Id,
            CachedTokens = start,
            TokenCount = count,
            TokenIds = _history[start..(start + count)],
            Sample = Prefilled == _history.Length,
            StageCount = pipeline.Stages.Length,
            Epoch = state.Epoch,
            ComputeFrom = _computeFrom,
        });
    }

    /// <summary>One-way to stage 0; a send that fails (its silo just died) is left to the stall check, which replays.</summary>
    private async Task SubmitAsync(StageMessage message)
    {
        try
        {
            await pipeline.Stages[0].SubmitAsync(message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            SequenceGrain.LogSendFailed(logger, state.Id, e.Message);
        }
    }
}
