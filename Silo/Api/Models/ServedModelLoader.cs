using Cluster.Grains.Encoders;
using Cluster.Grains.Hosting;
using Cluster.Silo.Api.ChatTemplates;
using Cluster.Silo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Models;

/// <summary>Describes the silo's models for the API and compiles the generation model's chat template (or falls back to the default).</summary>
public static partial class ServedModelLoader
{
    /// <param name="model">the generation model; null where the silo serves its embedding model alone</param>
    public static ServedModels LoadAll(SiloModel? model, ServedEncoder? encoder, IOptions<ApiOptions> apiOptions, ILogger logger)
    {
        if (model is null && encoder is not null) LogEmbeddingsOnly(logger, encoder.Id);
        return new ServedModels(model is null ? null : Load(model, apiOptions, logger), encoder);
    }

    public static ServedModel Load(SiloModel model, IOptions<ApiOptions> apiOptions, ILogger logger)
    {
        // No --model (and no --embedding-model, or there would be no generation model): the
        // Engine's embedded default (random weights, byte vocabulary).
        bool embedded = string.IsNullOrWhiteSpace(model.Options.Model);
        if (embedded) LogEmbeddedDefault(logger, model.Name);
        if (model.Config.MaxPositionEmbeddings > model.TrainedContextLength)
            LogBeyondTrainedContext(logger, model.Config.MaxPositionEmbeddings, model.Name, model.TrainedContextLength);

        string? source = apiOptions.Value.ChatTemplate is { } path ? File.ReadAllText(path) : model.Tokenizer.ChatTemplate;
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
        LogServing(logger, model.Name, model.Source, own ? "its own" : "the default");
        return new ServedModel(model.Name, model.Source, embedded, model.Tokenizer, model.Config.MaxPositionEmbeddings, template, own);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the embedding model '{Model}' alone: --embedding-model without --model loads no generation model")]
    private static partial void LogEmbeddingsOnly(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No --model given: serving the embedded default model '{Model}' (random weights, byte vocabulary; its text is not meaningful)")]
    private static partial void LogEmbeddedDefault(ILogger logger, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "--max-model-len {Length} is above the {Trained} tokens '{Model}' was trained for: positions past {Trained} may give degraded text")]
    private static partial void LogBeyondTrainedContext(ILogger logger, int length, string model, int trained);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat template of '{Model}' cannot be run ({Problem}); chat uses the default template instead")]
    private static partial void LogTemplateFallback(ILogger logger, string model, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving '{Model}' ({Description}) with {Template} chat template")]
    private static partial void LogServing(ILogger logger, string model, string description, string template);
}
