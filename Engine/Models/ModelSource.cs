using Cluster.Engine.Tokenizers;
using Cluster.Engine.Weights;
using Cluster.Engine.Weights.Synthetic;

namespace Cluster.Engine.Models;

/// <summary>
/// Opens a model from what a user types: a Hugging Face directory, a <c>.gguf</c> file, a
/// llama2.c <c>.bin</c> (with its tokenizer), <c>synthetic:SHAPE</c> (deterministic random
/// weights of a named shape), or nothing: the embedded default.
/// </summary>
public static class ModelSource
{
    public const string SyntheticPrefix = "synthetic:";

    /// <summary>The embedded default: stories260K's shape with random weights and a byte vocabulary, so it runs with no file at all.</summary>
    public const string EmbeddedDefaultName = "embedded-default";

    public static LoadedModel Open(string? spec, string? tokenizerPath)
    {
        if (string.IsNullOrWhiteSpace(spec) || spec == EmbeddedDefaultName)
        {
            var config = SyntheticShapes.Get("stories260k") with { VocabSize = 512 };
            return new LoadedModel(new SyntheticCheckpoint(config), new ByteTokenizer(config.VocabSize), EmbeddedDefaultName,
                "embedded default: random weights in stories260K's shape with a byte vocabulary (no download; output is not meaningful text)",
                isEmbeddedDefault: true);
        }
        if (spec.StartsWith(SyntheticPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var shape = spec[SyntheticPrefix.Length..];
            var config = SyntheticShapes.Get(shape);
            ITextTokenizer tokenizer = tokenizerPath is null ? new ByteTokenizer(config.VocabSize) : TokenizerLoader.OpenFile(tokenizerPath, config.VocabSize);
            return new LoadedModel(new SyntheticCheckpoint(config), tokenizer, spec, $"synthetic {shape}: deterministic random weights", isEmbeddedDefault: false);
        }

        var checkpoint = CheckpointLoader.Open(spec);
        try
        {
            var tokenizer = TokenizerLoader.Open(spec, tokenizerPath);
            var name = Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(spec));
            return new LoadedModel(checkpoint, tokenizer, name, $"{checkpoint.Source}", isEmbeddedDefault: false);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }
}
