using Cluster.Engine.Tokenizers;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Silo.Api.ChatTemplates;

namespace Cluster.Silo.Api.Models;

/// <summary>
/// The model this silo's API serves: its id (the grain key), what it is, its vocabulary, its
/// context window and its chat template. Built once at startup by <see cref="ServedModelLoader"/>.
/// </summary>
public sealed class ServedModel(string id, string description, bool isEmbeddedDefault, ITextTokenizer tokenizer, int contextWindow, ChatTemplate chatTemplate, bool hasOwnChatTemplate)
{
    public string Id { get; } = id;

    public string Description { get; } = description;

    /// <summary>The built-in random-weight model: runs with no files, its text is not meaningful.</summary>
    public bool IsEmbeddedDefault { get; } = isEmbeddedDefault;

    public ITextTokenizer Tokenizer { get; } = tokenizer;

    public int ContextWindow { get; } = contextWindow;

    public ChatTemplate ChatTemplate { get; } = chatTemplate;

    /// <summary>False when the model's files carry no template (or one this interpreter cannot run) and the default is used.</summary>
    public bool HasOwnChatTemplate { get; } = hasOwnChatTemplate;

    /// <summary>Whether prompts start with BOS: the tokenizer files say so, or (lacking that) a BOS id exists.</summary>
    public bool AddBos => Tokenizer is BpeTokenizer bpe ? bpe.AddBos : Tokenizer.BosId is not null;

    public string BosText => Tokenizer.BosId is int bos ? TokenText(bos) : "";

    public string EosText => Tokenizer.EosIds.Count > 0 ? TokenText(Tokenizer.EosIds[0]) : "";

    private string TokenText(int id) => Tokenizer is BpeTokenizer bpe ? bpe.Vocabulary.Token(id) : "";
}
