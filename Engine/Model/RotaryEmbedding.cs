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

    /// <summary>cos and sin for each position, each (T, headDim), in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var angles = positions.to(ScalarType.Float32).unsqueeze(1) * _inverseFrequencies.unsqueeze(0); // (T, hd/2)
        var doubled = torch.cat([angles, angles], dim: 1); // (T, hd)
        var cos = doubled.cos().to(dtype).MoveToOuterDisposeScope();
        var sin = doubled.sin().to(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates x (T, heads, headDim) by its positions' angles.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        var rotated = torch.cat([-second, first], dim: -1); // (T, heads, hd)
        return (x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1)).MoveToOuterDisposeScope();
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
