using Cluster.Engine.Model;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>
/// A sentence-embedding model in one process: a Hugging Face BERT directory's tokenizer, its
/// encoder cut into stages run one after another, and its pooling. The single-process reference
/// for the served embeddings.
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly EncoderFiles _files;
    private readonly EncoderStageRunner[] _stages;

    private EmbeddingModel(EncoderFiles files, EncoderStageRunner[] stages) => (_files, _stages) = (files, stages);

    public EncoderConfig Config => _files.Config;
    public WordPieceTokenizer Tokenizer => _files.Tokenizer;
    public SentencePooling Pooling => _files.Pooling;

    /// <summary>The most tokens one input may have, [CLS] and [SEP] included: the model's positions.</summary>
    public int MaxTokens => _files.MaxTokens;

    public int Dimensions => _files.Dimensions;

    /// <param name="stages">layers per stage; one stage of every layer when null</param>
    public static EmbeddingModel Load(string directory, ScalarType dtype = ScalarType.Float32, IReadOnlyList<int>? stages = null)
    {
        var files = EncoderFiles.Open(directory);
        var built = new List<EncoderStageRunner>();
        try
        {
            int layers = files.Config.NumHiddenLayers;
            var ranges = stages is null ? [LayerRange.All(layers)] : LayerRange.Split(layers, stages);
            foreach (var range in ranges) built.Add(files.Stage(range, dtype));
            return new EmbeddingModel(files, [.. built]);
        }
        catch
        {
            foreach (var stage in built) stage.Stage.Dispose();
            files.Dispose();
            throw;
        }
    }

    /// <summary>The text as the model's input: [CLS] pieces [SEP], truncated to <see cref="MaxTokens"/> when asked, else refused past it.</summary>
    public int[] Encode(string text, bool truncate) => Tokenizer.Encode(text, MaxTokens, truncate);

    /// <summary>One vector per input (framed token ids, as <see cref="Encode"/> gives), computed as one padded batch.</summary>
    public float[][] Embed(IReadOnlyList<int[]> inputs)
    {
        foreach (var input in inputs)
        {
            if (input.Length == 0 || input.Length > MaxTokens)
                throw new ArgumentException($"an input of {input.Length} tokens: the model takes 1 to {MaxTokens}");
            foreach (int id in input)
                if ((uint)id >= (uint)Config.VocabSize) throw new ArgumentException($"token id {id} is outside the vocabulary of {Config.VocabSize}");
        }
        var batch = inputs.Select(EncoderInput.OfIds).ToArray();
        foreach (var stage in _stages)
        {
            var outputs = stage.Run(batch);
            if (stage.Stage.Range.IsLast) return outputs.Select(o => o.Embedding!).ToArray();
            batch = outputs.Select((o, b) => new EncoderInput(batch[b].Length, Hidden: o.Hidden)).ToArray();
        }
        throw new InvalidOperationException("the stages end before the last layer");
    }

    public void Dispose()
    {
        foreach (var stage in _stages) stage.Stage.Dispose();
        _files.Dispose();
    }
}
