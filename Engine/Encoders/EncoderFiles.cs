using Cluster.Engine.Formats;
using Cluster.Engine.Model;
using static TorchSharp.torch;

namespace Cluster.Engine.Encoders;

/// <summary>
/// A Hugging Face BERT directory opened and checked: its config, its tokenizer (whose vocabulary
/// must be the config's size), its pooling and its mapped weights, from which stages of any layer
/// range are built. What the single-process <see cref="EmbeddingModel"/> and a silo serving the
/// encoder both start from.
/// </summary>
public sealed class EncoderFiles : IDisposable
{
    private EncoderFiles(string directory, EncoderConfig config, WordPieceTokenizer tokenizer, SentencePooling pooling, EncoderWeights weights) =>
        (Directory, Config, Tokenizer, Pooling, Weights) = (directory, config, tokenizer, pooling, weights);

    public string Directory { get; }
    public EncoderConfig Config { get; }
    public WordPieceTokenizer Tokenizer { get; }
    public SentencePooling Pooling { get; }
    public EncoderWeights Weights { get; }

    /// <summary>The most tokens one input may have, [CLS] and [SEP] included: the model's positions.</summary>
    public int MaxTokens => Config.MaxPositionEmbeddings;

    public int Dimensions => Config.HiddenSize;

    public static EncoderFiles Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new ModelFormatException(directory, "the encoder directory does not exist");
        var config = EncoderConfig.Load(Path.Combine(directory, "config.json"));
        var tokenizer = WordPieceTokenizer.Load(directory);
        if (tokenizer.VocabularySize != config.VocabSize)
            throw new ModelFormatException(Path.Combine(directory, "vocab.txt"), $"the vocabulary has {tokenizer.VocabularySize} entries, config.json says {config.VocabSize}");
        var pooling = SentencePooling.Load(directory);
        return new EncoderFiles(directory, config, tokenizer, pooling, new EncoderWeights(directory));
    }

    /// <summary>Loads the layers of <paramref name="range"/> and what runs batches through them.</summary>
    public EncoderStageRunner Stage(LayerRange range, ScalarType dtype) =>
        new(new BertEncoderStage(Config, Weights, range, dtype, CPU), Pooling, Tokenizer.PadId, Dimensions);

    public void Dispose() => Weights.Dispose();
}
