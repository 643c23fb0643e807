using Cluster.Engine.Formats;
using Cluster.Engine.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>
/// A sentence-embedding model in one process: a Hugging Face BERT directory's tokenizer, its
/// encoder cut into stages run one after another, and its pooling. The single-process reference
/// for the served embeddings, and what a stage of an encoder pipeline is built from.
/// </summary>
public sealed class EmbeddingModel : IDisposable
{
    private readonly EncoderWeights _weights;
    private readonly BertEncoderStage[] _stages;

    private EmbeddingModel(string directory, EncoderConfig config, WordPieceTokenizer tokenizer, SentencePooling pooling, EncoderWeights weights, BertEncoderStage[] stages)
    {
        (Directory, Config, Tokenizer, Pooling, _weights, _stages) = (directory, config, tokenizer, pooling, weights, stages);
    }

    public string Directory { get; }
    public EncoderConfig Config { get; }
    public WordPieceTokenizer Tokenizer { get; }
    public SentencePooling Pooling { get; }
    public IReadOnlyList<BertEncoderStage> Stages => _stages;

    /// <summary>The most tokens one input may have, [CLS] and [SEP] included: the model's positions.</summary>
    public int MaxTokens => Config.MaxPositionEmbeddings;

    public int Dimensions => Config.HiddenSize;

    /// <param name="stages">layers per stage; one stage of every layer when null</param>
    public static EmbeddingModel Load(string directory, ScalarType dtype = ScalarType.Float32, IReadOnlyList<int>? stages = null)
    {
        if (!System.IO.Directory.Exists(directory)) throw new ModelFormatException(directory, "the encoder directory does not exist");
        var config = EncoderConfig.Load(Path.Combine(directory, "config.json"));
        var tokenizer = WordPieceTokenizer.Load(directory);
        if (tokenizer.VocabularySize != config.VocabSize)
            throw new ModelFormatException(Path.Combine(directory, "vocab.txt"), $"the vocabulary has {tokenizer.VocabularySize} entries, config.json says {config.VocabSize}");
        var pooling = SentencePooling.Load(directory);
        var weights = new EncoderWeights(directory);
        var built = new List<BertEncoderStage>();
        try
        {
            var ranges = stages is null ? [LayerRange.All(config.NumHiddenLayers)] : LayerRange.Split(config.NumHiddenLayers, stages);
            foreach (var range in ranges) built.Add(new BertEncoderStage(config, weights, range, dtype, CPU));
            return new EmbeddingModel(directory, config, tokenizer, pooling, weights, [.. built]);
        }
        catch
        {
            foreach (var stage in built) stage.Dispose();
            weights.Dispose();
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
            var outputs = Runner(stage).Run(batch);
            if (stage.Range.IsLast) return outputs.Select(o => o.Embedding!).ToArray();
            batch = outputs.Select((o, b) => new EncoderInput(batch[b].Length, Hidden: o.Hidden)).ToArray();
        }
        throw new InvalidOperationException("the stages end before the last layer");
    }

    /// <summary>What runs a stage's batches, in a pipeline of processes as here.</summary>
    public EncoderStageRunner Runner(BertEncoderStage stage) => new(stage, Pooling, Tokenizer.PadId, Dimensions);

    public void Dispose()
    {
        foreach (var stage in _stages) stage.Dispose();
        _weights.Dispose();
    }
}
