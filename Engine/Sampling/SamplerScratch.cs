namespace Cluster.Engine.Sampling;

/// <summary>
/// Per-thread working memory for <see cref="Sampler"/>, sized to the vocabulary once, so a
/// sampling call allocates only its result. Token marks use a stamp per call instead of clearing
/// vocab-sized arrays every time.
/// </summary>
internal sealed class SamplerScratch
{
    [ThreadStatic]
    private static SamplerScratch? t_current;

    private int _stamp;

    private SamplerScratch(int vocabSize)
    {
        Logits = new float[vocabSize];
        Weights = new double[vocabSize];
        Candidates = new int[vocabSize];
        SpareIds = new int[vocabSize];
        Counts = new int[vocabSize];
        Marks = new int[vocabSize];
    }

    /// <summary>The processed logits.</summary>
    public float[] Logits { get; }

    /// <summary>exp(logit - max) per token: computed once, used by every filter and the draw.</summary>
    public double[] Weights { get; }

    /// <summary>Token ids still in the running.</summary>
    public int[] Candidates { get; }

    /// <summary>
    /// An id per token for whichever step needs one (the distinct penalized tokens, the top-k
    /// heap, top-p's crossing bin): each step is done with it before the next begins.
    /// </summary>
    public int[] SpareIds { get; }

    /// <summary>Occurrences per token, valid where <see cref="Marks"/> holds the current stamp.</summary>
    public int[] Counts { get; }

    public int[] Marks { get; }

    public static SamplerScratch For(int vocabSize)
    {
        if (t_current is null || t_current.Logits.Length < vocabSize)
        {
            t_current = new SamplerScratch(vocabSize);
        }

        return t_current;
    }

    /// <summary>A stamp no mark holds yet: marks from earlier calls become stale without clearing.</summary>
    public int NextStamp()
    {
        if (_stamp == int.MaxValue)
        {
            Array.Clear(Marks);
            _stamp = 0;
        }

        return ++_stamp;
    }
}
