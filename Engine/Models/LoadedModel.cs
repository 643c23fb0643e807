using Cluster.Engine.Tokenizers;
using Cluster.Engine.Weights;

namespace Cluster.Engine.Models;

/// <summary>A model's weights and vocabulary, opened together from one model specification.</summary>
public sealed class LoadedModel(ICheckpoint checkpoint, ITextTokenizer tokenizer, string name, string description, bool isEmbeddedDefault) : IDisposable
{
    public ICheckpoint Checkpoint { get; } = checkpoint;

    public ITextTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>The id clients use for it (the OpenAI API's <c>model</c>).</summary>
    public string Name { get; } = name;

    /// <summary>Where it comes from, for logs and <c>/v1/models</c>.</summary>
    public string Description { get; } = description;

    /// <summary>The built-in random-weight model that needs no download: for trying the system, not for meaningful text.</summary>
    public bool IsEmbeddedDefault { get; } = isEmbeddedDefault;

    public void Dispose() => Checkpoint.Dispose();
}
