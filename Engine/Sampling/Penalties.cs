namespace Cluster.Engine.Sampling;

/// <summary>
/// The penalty processors in vLLM's order: repetition (over prompt and output), then frequency
/// and presence (over output only).
/// </summary>
internal static class Penalties
{
    public static void Apply(Span<float> logits, SamplingParams p, SamplingContext ctx, SamplerScratch scratch)
    {
        if (p.RepetitionPenalty != 1f)
        {
            var stamp = scratch.NextStamp();
            ApplyRepetition(logits, ctx.PromptTokenIds, p.RepetitionPenalty, stamp, scratch.Marks);
            ApplyRepetition(logits, ctx.OutputTokenIds, p.RepetitionPenalty, stamp, scratch.Marks);
        }

        if (p.FrequencyPenalty != 0f || p.PresencePenalty != 0f)
        {
            ApplyFrequencyAndPresence(logits, ctx.OutputTokenIds, p.FrequencyPenalty, p.PresencePenalty, scratch);
        }
    }

    private static void ApplyRepetition(Span<float> logits, IReadOnlyList<int> tokens, float penalty, int stamp, int[] marks)
    {
        foreach (var token in tokens)
        {
            CheckToken(token, logits.Length);
            if (marks[token] == stamp)
            {
                continue; // once per distinct token, however often it was seen
            }

            marks[token] = stamp;
            var logit = logits[token];
            logits[token] = logit > 0 ? logit / penalty : logit * penalty;
        }
    }

    private static void ApplyFrequencyAndPresence(
        Span<float> logits, IReadOnlyList<int> output, float frequency, float presence, SamplerScratch scratch)
    {
        var stamp = scratch.NextStamp();
        var distinct = 0;
        foreach (var token in output)
        {
            CheckToken(token, logits.Length);
            if (scratch.Marks[token] != stamp)
            {
                scratch.Marks[token] = stamp;
                scratch.Counts[token] = 0;
                scratch.SpareIds[distinct++] = token;
            }

            scratch.Counts[token]++;
        }

        foreach (var token in scratch.SpareIds.AsSpan(0, distinct))
        {
            // Two subtractions, not one, to round as vLLM does (frequency first, then presence).
            logits[token] -= frequency * scratch.Counts[token];
            logits[token] -= presence;
        }
    }

    private static void CheckToken(int token, int vocabSize)
    {
        if ((uint)token >= (uint)vocabSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(token), token, $"Token id {token} in the sequence is outside the vocabulary of {vocabSize} logits.");
        }
    }
}
