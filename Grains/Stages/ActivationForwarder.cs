using Cluster.Grains.Telemetry;

namespace Cluster.Grains.Stages;

/// <summary>
/// Sends a stage's output activations straight on to the next stage (one-way; no trip back
/// through the sequence grain). In a replay the next stage may need rows this stage did not
/// compute (it held their K/V): those come out of its activation log, ahead of the rows just
/// computed; rows the next stage still holds are cut off.
/// </summary>
internal sealed class ActivationForwarder(int stage, IStageGrain next, StageHistory history, StageLabels labels, TimeProvider time)
{
    /// <summary>Rows sent on again from the activation log instead of being recomputed.</summary>
    public long RowsResent { get; private set; }

    /// <summary>The first row of the message's chunk that stage <paramref name="stage"/> computes (and receives).</summary>
    public static int StartOf(StageMessage message, int stage) =>
        message.ComputeFrom is { } plan ? Math.Clamp(plan[stage], message.CachedTokens, message.CachedTokens + message.TokenCount) : message.CachedTokens;

    /// <summary>One-way to the next stage: the step with its token ids replaced by these rows of activations.</summary>
    public Task SendAsync(StageMessage message, byte[] hidden) =>
        next.SubmitAsync(message with { TokenIds = null, Hidden = hidden, SentAtTicks = time.GetUtcNow().UtcTicks, From = labels });

    /// <summary>
    /// The rows the next stage computes: from this pass's output for rows [<paramref name="computedFrom"/>, end),
    /// preceded in a replay by rows this stage did not compute (it held their K/V) but the next stage lost, out of
    /// the activation log. Throws <see cref="InvalidOperationException"/> or <see cref="ArgumentOutOfRangeException"/>
    /// when the plan asks for rows the log does not hold.
    /// </summary>
    public byte[] RowsToSend(StageMessage message, int computedFrom, byte[]? computed)
    {
        int end = message.CachedTokens + message.TokenCount;
        int sendFrom = StartOf(message, stage + 1);
        if (sendFrom == computedFrom) return computed ?? [];
        if (sendFrom > computedFrom)
        {
            int rowBytes = computed!.Length / (end - computedFrom);
            return computed[((sendFrom - computedFrom) * rowBytes)..];
        }
        var logged = history.Read(message.SequenceId, sendFrom, computedFrom);
        RowsResent += computedFrom - sendFrom;
        return computed is null ? logged : [.. logged, .. computed];
    }
}
