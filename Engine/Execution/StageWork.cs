using Cluster.Engine.Attention;

namespace Cluster.Engine.Execution;

/// <summary>
/// One sequence's part of a stage's batch: <see cref="TokenCount"/> new tokens at positions
/// [CachedTokens, CachedTokens + TokenCount), given as token ids (first stage) or as the previous
/// stage's hidden states, written into and attending over the pages in <see cref="PageIds"/>.
/// A prefill chunk and a decode step are the same thing with different counts.
/// </summary>
public sealed record StageWork
{
    public required string SequenceId { get; init; }

    public required int CachedTokens { get; init; }

    public required IReadOnlyList<int> PageIds { get; init; }

    public required int TokenCount { get; init; }

    /// <summary>Token ids, for the first stage.</summary>
    public int[]? TokenIds { get; init; }

    /// <summary>Hidden states (TokenCount, hidden) in the pipeline's activation dtype, for later stages.</summary>
    public byte[]? Hidden { get; init; }

    /// <summary>What the last stage does with the sequence's final row: sample a token, return logits, or nothing (a prefill chunk before the end).</summary>
    public OutputRequest Output { get; init; } = OutputRequest.None;

    internal PagedSequence ToPaged(int queryStart) => new(queryStart, TokenCount, CachedTokens, PageIds);

    /// <summary>Checks the work is self-consistent; names the field that is not.</summary>
    public void Validate(bool firstStage, int hiddenBytesPerToken)
    {
        if (TokenCount <= 0)
            throw new ArgumentException($"sequence {SequenceId}: token count must be positive (is {TokenCount})");
        if (CachedTokens < 0)
            throw new ArgumentException($"sequence {SequenceId}: cached tokens must not be negative (is {CachedTokens})");
        if (firstStage && (TokenIds is null || TokenIds.Length != TokenCount))
            throw new ArgumentException($"sequence {SequenceId}: the first stage needs {TokenCount} token ids (has {TokenIds?.Length ?? 0})");
        if (!firstStage && (Hidden is null || Hidden.Length != (long)TokenCount * hiddenBytesPerToken))
            throw new ArgumentException($"sequence {SequenceId}: hidden states must be {TokenCount} × {hiddenBytesPerToken} bytes (are {Hidden?.Length ?? 0})");
    }
}
