using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>Sequences of token ids padded to the longest of them, with the mask that tells tokens from padding.</summary>
public static class EncoderBatch
{
    /// <returns>ids (B, T) int64 and mask (B, T) int64, T the longest input</returns>
    public static (Tensor Ids, Tensor Mask) Pad(IReadOnlyList<int[]> inputs, int padId)
    {
        if (inputs.Count == 0) throw new ArgumentException("an encoder batch needs at least one input", nameof(inputs));
        int length = inputs.Max(i => i.Length);
        var ids = new long[inputs.Count * length];
        var mask = new long[inputs.Count * length];
        for (int b = 0; b < inputs.Count; b++)
        {
            for (int t = 0; t < length; t++)
            {
                bool real = t < inputs[b].Length;
                ids[b * length + t] = real ? inputs[b][t] : padId;
                mask[b * length + t] = real ? 1 : 0;
            }
        }
        return (torch.tensor(ids, [inputs.Count, length]), torch.tensor(mask, [inputs.Count, length]));
    }
}
