using Cluster.Engine.Attention;
using Cluster.Engine.Model;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Execution;

/// <summary>
/// The test oracle: the whole model over the whole token sequence at once, every step
/// recomputed from scratch with plain causal attention: no cache, no pages, no batching, no
/// pipeline. Slow by design; everything fast is checked against it.
/// </summary>
public sealed class ReferenceForward : IDisposable
{
    private readonly LlamaStageModel _model;
    private readonly ReferenceAttention _attention = new();

    public ReferenceForward(ICheckpoint checkpoint, ScalarType dtype = ScalarType.Float32)
    {
        using var inference = torch.inference_mode();
        _model = new LlamaStageModel(checkpoint, LayerRange.All(checkpoint.Config.NumHiddenLayers), dtype, CPU);
    }

    /// <summary>Logits (T, vocab) for every position of <paramref name="tokens"/>.</summary>
    public float[,] Logits(IReadOnlyList<int> tokens)
    {
        using var inference = torch.inference_mode();
        using var scope = NewDisposeScope();
        var ids = torch.tensor(tokens.Select(t => (long)t).ToArray());
        var positions = torch.arange(tokens.Count, dtype: ScalarType.Int64);
        var hidden = _model.Forward(_model.Embed(ids), positions, _attention);
        var logits = _model.Logits(hidden).contiguous();
        var result = new float[tokens.Count, logits.shape[1]];
        var flat = logits.data<float>().ToArray();
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }

    /// <summary>Greedy generation by full recomputation (the oracle for generated ids).</summary>
    public IReadOnlyList<int> GenerateGreedy(IReadOnlyList<int> prompt, int count)
    {
        var tokens = prompt.ToList();
        for (int i = 0; i < count; i++)
        {
            var logits = Logits(tokens);
            int last = tokens.Count - 1, best = 0;
            for (int v = 1; v < logits.GetLength(1); v++)
                if (logits[last, v] > logits[last, best]) best = v;
            tokens.Add(best);
        }
        return tokens.Skip(prompt.Count).ToList();
    }

    public void Dispose() => _model.Dispose();
}
