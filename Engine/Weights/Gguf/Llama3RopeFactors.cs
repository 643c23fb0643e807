using Cluster.Engine.Config;

namespace Cluster.Engine.Weights.Gguf;

/// <summary>
/// Llama 3.1-style GGUFs carry RoPE scaling as a <c>rope_freqs.weight</c> tensor (one divisor
/// per frequency) instead of HF's <c>rope_scaling</c> parameters. This recovers the parameters
/// by regenerating the tensor the way llama.cpp's converter does for each plausible setting and
/// keeping the one that reproduces it; the model then applies the same HF llama3 rule.
/// </summary>
public static class Llama3RopeFactors
{
    private static readonly double[] LowFreqFactors = [1, 2];
    private static readonly double[] HighFreqFactors = [2, 4, 8];
    private static readonly int[] OriginalContexts = [8192, 4096, 16384, 32768, 131072];

    /// <summary>The llama3 scaling that produces <paramref name="factors"/>, or null when none does.</summary>
    public static RopeScaling? Match(IReadOnlyList<float> factors, double theta, int headDim)
    {
        if (factors.Count != headDim / 2 || factors.Count == 0)
            return null;
        double factor = factors.Max();
        foreach (int context in OriginalContexts)
            foreach (double low in LowFreqFactors)
                foreach (double high in HighFreqFactors)
                {
                    var candidate = new RopeScaling
                    {
                        RopeType = "llama3", Factor = factor, LowFreqFactor = low, HighFreqFactor = high,
                        OriginalMaxPositionEmbeddings = context,
                    };
                    if (Generate(candidate, theta, headDim).Zip(factors).All(p => Math.Abs(p.First - p.Second) <= 1e-4 * p.First))
                        return candidate;
                }
        return null;
    }

    /// <summary>The per-frequency divisors llama.cpp's converter writes for a llama3 scaling.</summary>
    public static double[] Generate(RopeScaling scaling, double theta, int headDim)
    {
        double lowWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        double highWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        var result = new double[headDim / 2];
        for (int i = 0; i < result.Length; i++)
        {
            double frequency = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength)
                result[i] = 1;
            else if (wavelength > lowWavelength)
                result[i] = scaling.Factor;
            else
            {
                double smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFreqFactor)
                    / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                result[i] = 1 / ((1 - smooth) / scaling.Factor + smooth);
            }
        }
        return result;
    }
}
