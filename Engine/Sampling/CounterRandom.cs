namespace Cluster.Engine.Sampling;

/// <summary>
/// A counter-based generator: the uniform for (seed, step) is a pure function of the pair
/// (SplitMix64's finalizer over a seed-dependent Weyl sequence). Nothing is shared between
/// sequences, so a token does not depend on which other sequences were batched with it, and a
/// sequence replayed on another machine draws the same numbers.
/// </summary>
public static class CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public static double Uniform(long seed, long step)
    {
        // Mixing the seed first keeps seeds s and s + Golden from being the same stream shifted by one.
        var state = Mix((ulong)seed) + ((ulong)step + 1) * Golden;
        return (Mix(state) >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
