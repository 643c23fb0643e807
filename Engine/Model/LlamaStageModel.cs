using Cluster.Engine.Attention;
using Cluster.Engine.Config;
using Cluster.Engine.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Model;

/// <summary>
/// The decoder layers of one pipeline stage. The first stage also embeds token ids; the last also
/// holds the final norm and the LM head (the embedding matrix again when the model ties them).
/// Only this stage's tensors are read from the checkpoint.
/// </summary>
public sealed class LlamaStageModel : IDisposable
{
    private readonly RotaryEmbedding _rotary;
    private readonly bool _tiedHead;

    /// <param name="hugePages">on the CPU, move the streamed matrices into a <see cref="WeightArena"/>.</param>
    public LlamaStageModel(ICheckpoint checkpoint, LayerRange range, ScalarType dtype, Device device, bool hugePages = true)
    {
        Config = checkpoint.Config;
        Range = range.Validated();
        Dtype = dtype;
        Device = device;
        if (range.Total != Config.NumHiddenLayers)
            throw new ArgumentException($"layer range {range} does not match the model's {Config.NumHiddenLayers} layers");
        var weights = new WeightLoader(checkpoint, dtype, device);
        _rotary = new RotaryEmbedding(Config, device);
        if (range.IsFirst)
            embed_tokens = weights.Matrix(TensorNames.Embedding);
        layers = Enumerable.Range(range.Start, range.Count).Select(l => new LlamaDecoderLayer(Config, weights, l)).ToArray();
        if (range.IsLast)
        {
            norm = new RmsNorm(weights.Norm(TensorNames.FinalNorm), Config.RmsNormEps);
            _tiedHead = !checkpoint.Contains(TensorNames.LmHead);
            lm_head = _tiedHead
                ? embed_tokens?.alias() ?? weights.Matrix(TensorNames.Embedding)
                : weights.Matrix(TensorNames.LmHead);
        }
        if (hugePages && device.type == DeviceType.CPU) PackWeights();
    }

    /// <summary>
    /// Whether the matrices a decode pass streams lie in 2 MiB pages (<see cref="WeightArena"/>),
    /// as asked for on the CPU; false on other devices, when not asked for, or where the kernel refused.
    /// </summary>
    public bool WeightsInHugePages { get; private set; }

    /// <summary>
    /// Moves every matrix a decode pass streams into one <see cref="WeightArena"/>, in the order the
    /// pass reads them. A tied LM head is moved once, and the embedding becomes its alias again.
    /// </summary>
    private void PackWeights()
    {
        var matrices = layers.SelectMany(l => l.Matrices).Concat(lm_head is null ? [] : [lm_head]).ToList();
        using var arena = new WeightArena(matrices);
        foreach (var layer in layers) layer.PackInto(arena);
        if (lm_head is not null)
        {
            lm_head = arena.Place(lm_head);
            if (SharesEmbedding)
            {
                embed_tokens!.Dispose();
                embed_tokens = lm_head.alias();
            }
        }
        WeightsInHugePages = arena.InHugePages;
    }

    public ModelConfig Config { get; }

    public LayerRange Range { get; }

    public ScalarType Dtype { get; }

    public Device Device { get; }

    public Tensor? embed_tokens { get; private set; }

    public IReadOnlyList<LlamaDecoderLayer> layers { get; }

    public RmsNorm? norm { get; }

    public Tensor? lm_head { get; private set; }

    /// <summary>Bytes of weights this stage holds (the tied LM head counted once).</summary>
    public long ParameterBytes =>
        layers.Sum(l => l.ParameterBytes)
        + (embed_tokens?.NumberOfElements ?? 0) * ElementSize
        + (norm?.weight.NumberOfElements ?? 0) * ElementSize
        + (lm_head is not null && !SharesEmbedding ? lm_head.NumberOfElements * ElementSize : 0);

    /// <summary>
    /// Bytes of weights one decode pass streams from memory: every layer matrix and the LM head
    /// in full; of the embedding table only the looked-up rows (nothing, to this precision).
    /// </summary>
    public long DecodeReadBytes =>
        layers.Sum(l => l.ParameterBytes)
        + (norm?.weight.NumberOfElements ?? 0) * ElementSize
        + (lm_head?.NumberOfElements ?? 0) * ElementSize;

    private bool SharesEmbedding => _tiedHead && embed_tokens is not null;

    private long ElementSize => PagedKvCache.ElementSize(Dtype);

    /// <summary>Embeds token ids (first stage only): (T) → (T, hidden).</summary>
    public Tensor Embed(Tensor tokenIds)
    {
        if (embed_tokens is null)
            throw new InvalidOperationException($"stage {Range} does not hold the embedding: token ids go to the first stage");
        return embed_tokens.index_select(0, tokenIds); // (T, hidden)
    }

    /// <summary>Runs this stage's layers over hidden states (T, hidden) at the given positions (T).</summary>
    public Tensor Forward(Tensor hidden, Tensor positions, IAttentionKernel kernel)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = _rotary.CosSin(positions, Dtype);
        var x = hidden;
        for (int i = 0; i < layers.Count; i++)
            x = layers[i].Forward(x, cos, sin, kernel, i);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Final norm and LM head over selected rows (last stage only): (N, hidden) → (N, vocab) float32.</summary>
    public Tensor Logits(Tensor hidden)
    {
        if (norm is null || lm_head is null)
            throw new InvalidOperationException($"stage {Range} is not the last stage: it has no LM head");
        using var scope = NewDisposeScope();
        return Linear.Forward(norm.Forward(hidden), lm_head).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _rotary.Dispose();
        embed_tokens?.Dispose();
        foreach (var layer in layers) layer.Dispose();
        norm?.Dispose();
        lm_head?.Dispose();
    }
}
