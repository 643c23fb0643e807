using Cluster.Engine.Attention;
using Cluster.Engine.Decode;
using Cluster.Engine.Kernels;
using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Execution;

/// <summary>
/// One forward pass of a stage over a batch of sequences, packed row after row: embed (first
/// stage) or unpack incoming hidden states, run the layers through the paged cache, then either
/// cut the output into per-sequence hidden states or (last stage) take each sequence's final row
/// through the LM head and sample. Runs on the executor's thread, inside one dispose scope. A
/// small decode batch on the CPU goes through <see cref="FusedDecodePass"/> instead.
/// </summary>
internal sealed class StageForward(LlamaStageModel model, PagedKvCache cache)
{
    private readonly FusedDecodePass? _fusedDecode = FusedDecodePass.Supports(model) ? new FusedDecodePass(model, cache) : null;

    /// <summary>Whether the last <see cref="Run"/> went through the fused decode path.</summary>
    public bool LastPassFused { get; private set; }

    private int HiddenBytesPerToken => model.Config.HiddenSize * PagedKvCache.ElementSize(model.Dtype);

    public IReadOnlyList<StageResult> Run(IReadOnlyList<StageWork> batch)
    {
        foreach (var work in batch) work.Validate(model.Range.IsFirst, HiddenBytesPerToken);
        LastPassFused = _fusedDecode is not null && FusedDecodePass.Applies(batch);
        if (LastPassFused) return _fusedDecode!.Run(batch);
        using var scope = NewDisposeScope();
        var sequences = new List<PagedSequence>(batch.Count);
        int rows = 0;
        foreach (var work in batch)
        {
            sequences.Add(work.ToPaged(rows));
            rows += work.TokenCount;
        }

        var input = model.Range.IsFirst ? model.Embed(TokenIds(batch)) : Unpack(batch, rows);
        using var kernel = new PagedAttention(cache, sequences, model.Device);
        var output = model.Forward(input, Positions(batch), kernel); // (rows, hidden)
        return model.Range.IsLast ? Finish(batch, sequences, output) : Pack(batch, sequences, output);
    }

    private Tensor TokenIds(IReadOnlyList<StageWork> batch) =>
        torch.tensor(batch.SelectMany(w => w.TokenIds!).Select(t => (long)t).ToArray(), device: model.Device);

    private Tensor Positions(IReadOnlyList<StageWork> batch) =>
        torch.tensor(batch.SelectMany(w => Enumerable.Range(w.CachedTokens, w.TokenCount)).Select(p => (long)p).ToArray(), device: model.Device);

    private Tensor Unpack(IReadOnlyList<StageWork> batch, int rows)
    {
        var bytes = new byte[(long)rows * HiddenBytesPerToken];
        int offset = 0;
        foreach (var work in batch)
        {
            work.Hidden!.CopyTo(bytes, offset);
            offset += work.Hidden!.Length;
        }
        var hidden = torch.empty([rows, model.Config.HiddenSize], model.Dtype, CPU);
        hidden.bytes = bytes;
        return hidden.to(model.Device); // (rows, hidden)
    }

    private IReadOnlyList<StageResult> Pack(IReadOnlyList<StageWork> batch, List<PagedSequence> sequences, Tensor output)
    {
        var bytes = output.to(CPU).contiguous().bytes;
        var results = new StageResult[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            var slice = bytes.Slice(sequences[i].QueryStart * HiddenBytesPerToken, sequences[i].QueryCount * HiddenBytesPerToken);
            results[i] = new StageResult(batch[i].SequenceId) { Hidden = slice.ToArray() };
        }
        return results;
    }

    private IReadOnlyList<StageResult> Finish(IReadOnlyList<StageWork> batch, List<PagedSequence> sequences, Tensor output)
    {
        var wanted = Enumerable.Range(0, batch.Count).Where(i => !batch[i].Output.IsNone).ToArray();
        var results = batch.Select(w => new StageResult(w.SequenceId)).ToArray();
        if (wanted.Length == 0) return results;

        var lastRows = torch.tensor(wanted.Select(i => (long)(sequences[i].QueryStart + sequences[i].QueryCount - 1)).ToArray(), device: model.Device);
        var logits = model.Logits(output.index_select(0, lastRows)).to(CPU).contiguous(); // (N, vocab) float32
        unsafe
        {
            OutputRows.Fill(batch, wanted, (float*)TensorMemory.Pointer(logits), (int)logits.shape[1], results);
        }
        return results;
    }
}
