using Cluster.Engine.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>
/// Rotary position embedding (RoFormer) in the rotate-half layout Hugging Face uses; checkpoints
/// stored in the interleaved-pair layout are permuted at load, so one rotation serves all.
/// </summary>
public sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _inverseFrequencies; // (headDim / 2) float32

    public RotaryEmbedding(ModelConfig config, Device device)
    {
        var frequencies = InverseFrequencies(config);
        _inverseFrequencies = torch.tensor(frequencies, dtype: ScalarType.Float32, device: device);
    }

    /// <summary>
    /// cos and a signed sin for each position, each (T, 1, headDim) in <paramref name="dtype"/>:
    /// the sin's first half is negated so that rotate_half(x)·sin becomes swap_halves(x)·signedSin,
    /// one operation fewer per rotation.
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) CosSin(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var angles = positions.to(ScalarType.Float32).unsqueeze(1) * _inverseFrequencies.unsqueeze(0); // (T, hd/2)
        var cos = torch.cat([angles.cos(), angles.cos()], dim: 1).unsqueeze(1);                         // (T, 1, hd)
        var sin = angles.sin();
        var signedSin = torch.cat([-sin, sin], dim: 1).unsqueeze(1);                                    // (T, 1, hd)
        return (cos.to(dtype).MoveToOuterDisposeScope(), signedSin.to(dtype).MoveToOuterDisposeScope());
    }

    /// <summary>Rotates x (T, heads, headDim) by its positions' angles: x·cos + rotate_half(x)·sin.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var swapped = torch.cat([x.narrow(-1, half, half), x.narrow(-1, 0, half)], dim: -1); // (T, heads, hd)
        using var one = 1.0.ToScalar(); // add_'s alpha, explicit and alive for the call (see RmsNorm)
        return x.mul(cos).add_(swapped.mul_(signedSin), one).MoveToOuterDisposeScope();
    }

    internal static float[] InverseFrequencies(ModelConfig config)
    {
        int half = config.HeadDim / 2;
        var frequencies = new float[half];
        for (int i = 0; i < half; i++)
            frequencies[i] = (float)(1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim));
        return config.RopeScaling?.Kind switch
        {
            null or "default" => frequencies,
            "linear" => frequencies.Select(f => (float)(f / config.RopeScaling.Factor)).ToArray(),
            "llama3" => Llama3Scaled(frequencies, config.RopeScaling),
            var kind => throw new NotSupportedException($"rope_scaling type '{kind}' is not supported (default, linear, llama3 are)"),
        };
    }

    /// <summary>Llama 3.1's band-wise scaling: long wavelengths slowed by the factor, short kept, the band between blended.</summary>
    private static float[] Llama3Scaled(float[] frequencies, RopeScaling scaling)
    {
        double lowWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        double highWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        return frequencies.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength) return f;
            if (wavelength > lowWavelength) return (float)(f / scaling.Factor);
            double smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFreqFactor)
                            / (scaling.HighFreqFactor - scaling.LowFreqFactor);
            return (float)((1 - smooth) * f / scaling.Factor + smooth * f);
        }).ToArray();
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
