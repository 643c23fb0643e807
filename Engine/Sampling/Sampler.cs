namespace Cluster.Engine.Sampling;

// Placeholder until the sampling branch lands.
public static class Sampler
{
    public static SampledToken Sample(ReadOnlySpan<float> logits, SamplingParams p, SamplingContext ctx)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        return new SampledToken(best, 0);
    }
}
