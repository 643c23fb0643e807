using Cluster.Engine.Tokenizers;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api.ChatTemplates;
using Cluster.Silo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Models;

/// <summary>Opens the served model's tokenizer and chat template beside the checkpoint the grains load.</summary>
public static partial class ServedModelLoader
{
    public static ServedModel Load(ModelSource model, IOptions<ApiOptions> apiOptions, IConfiguration configuration, ILogger logger)
    {
        var options = apiOptions.Value;
        bool embedded = string.IsNullOrWhiteSpace(configuration[$"{ClusterSiloOptions.Section}:Model"]);
        bool synthetic = model.Options.Model.StartsWith(Engine.Models.ModelSource.SyntheticPrefix, StringComparison.OrdinalIgnoreCase);
        ITextTokenizer tokenizer = synthetic
            ? options.Tokenizer is { } file ? TokenizerLoader.Open(model.Options.Model, file) : new ByteTokenizer(model.Config.VocabSize)
            : TokenizerLoader.Open(model.Options.Model, options.Tokenizer);
        string description = embedded
            ? "embedded default: random weights in stories260K's shape with a byte vocabulary (no download; output is not meaningful text)"
            : synthetic ? $"{model.Options.Model}: deterministic random weights" : model.Source;
        if (embedded) LogEmbeddedDefault(logger, model.Name);

        string? source = options.ChatTemplate is { } path ? File.ReadAllText(path) : tokenizer.ChatTemplate;
        var (template, own) = (DefaultChatTemplate.Instance, false);
        if (source is not null)
        {
            try
            {
                (template, own) = (ChatTemplate.Parse(source), true);
            }
            catch (TemplateException e)
            {
                LogTemplateFallback(logger, model.Name, e.Message);
            }
        }
        LogServing(logger, model.Name, description, own ? "the model's own" : "the default");
        return new ServedModel(model.Name, description, embedded, tokenizer, model.Config.MaxPositionEmbeddings, template, own);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No --model given: serving the embedded default model '{Model}' (random weights, byte vocabulary; its text is not meaningful)")]
    private static partial void LogEmbeddedDefault(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat template of '{Model}' cannot be run ({Problem}); chat uses the default template instead")]
    private static partial void LogTemplateFallback(ILogger logger, string model, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving '{Model}' ({Description}) with {Template} chat template")]
    private static partial void LogServing(ILogger logger, string model, string description, string template);
}
