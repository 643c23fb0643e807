using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>
/// Runs batches of sequences through one <see cref="BertEncoderStage"/>: pads them to the longest,
/// runs the stage, and hands each sequence back its own rows (float32 bytes, for the next stage)
/// or, on the last stage, its pooled embedding. What crosses between stages is activations only.
/// </summary>
public sealed class EncoderStageRunner(BertEncoderStage stage, SentencePooling pooling, int padId, int hiddenSize)
{
    public BertEncoderStage Stage => stage;

    public EncoderOutput[] Run(IReadOnlyList<EncoderInput> batch)
    {
        if (batch.Count == 0) return [];
        using var scope = NewDisposeScope();
        int longest = batch.Max(s => s.Length);
        var mask = Mask(batch, longest);
        var input = stage.Range.IsFirst ? PadIds(batch, longest) : PadHidden(batch, longest);
        var hidden = stage.Forward(input, mask);
        if (stage.Range.IsLast)
        {
            var pooled = pooling.Apply(hidden, mask).contiguous().data<float>().ToArray();
            return Enumerable.Range(0, batch.Count).Select(b => new EncoderOutput(Embedding: pooled.AsSpan(b * hiddenSize, hiddenSize).ToArray())).ToArray();
        }
        var rows = hidden.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        return Enumerable.Range(0, batch.Count).Select(b => new EncoderOutput(Hidden:
            MemoryMarshal.AsBytes(rows.AsSpan((int)((long)b * longest * hiddenSize), batch[b].Length * hiddenSize)).ToArray())).ToArray();
    }

    private static Tensor Mask(IReadOnlyList<EncoderInput> batch, int longest)
    {
        var mask = new long[batch.Count * longest];
        for (int b = 0; b < batch.Count; b++) mask.AsSpan(b * longest, batch[b].Length).Fill(1);
        return torch.tensor(mask, [batch.Count, longest]);
    }

    private Tensor PadIds(IReadOnlyList<EncoderInput> batch, int longest)
    {
        var ids = new long[batch.Count * longest];
        Array.Fill(ids, padId);
        for (int b = 0; b < batch.Count; b++)
        {
            var sequence = batch[b].Ids ?? throw new ArgumentException("the first encoder stage takes token ids");
            for (int t = 0; t < sequence.Length; t++) ids[b * longest + t] = sequence[t];
        }
        return torch.tensor(ids, [batch.Count, longest]);
    }

    private Tensor PadHidden(IReadOnlyList<EncoderInput> batch, int longest)
    {
        var values = new float[(long)batch.Count * longest * hiddenSize];
        for (int b = 0; b < batch.Count; b++)
        {
            var hidden = batch[b].Hidden ?? throw new ArgumentException("a later encoder stage takes the previous stage's hidden states");
            if (hidden.Length != batch[b].Length * hiddenSize * sizeof(float))
                throw new ArgumentException($"hidden states of {hidden.Length} bytes for {batch[b].Length} tokens of {hiddenSize} float32 values");
            MemoryMarshal.Cast<byte, float>(hidden).CopyTo(values.AsSpan(b * longest * hiddenSize));
        }
        return torch.tensor(values, [batch.Count, longest, hiddenSize]);
    }
}
