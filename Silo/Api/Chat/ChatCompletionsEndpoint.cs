using Cluster.Silo.Api.ChatTemplates;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Generation;
using Cluster.Silo.Api.Health;
using Cluster.Silo.Api.Hosting;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Requests;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Chat;

/// <summary><c>POST /v1/chat/completions</c>: the messages through the chat template, then a completion of the assistant's turn.</summary>
public static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, Readiness readiness, ServedModels models, GenerationResponder responder, IOptions<ApiOptions> options)
    {
        var body = await RequestReader.ReadAsync(context.Request, context.RequestAborted);
        var model = models.GenerationModel(GenerationOptionsReader.RequestedModel(body));
        bool logprobs = body.Bool("logprobs") ?? false;
        int? top = body.Integer("top_logprobs", 0, Engine.Sampling.SamplingParams.MaxTopLogprobs);
        if (top is > 0 && !logprobs) throw ApiException.BadRequest("top_logprobs needs logprobs set to true", "top_logprobs");
        // Chat's default max_tokens is "until the end": the grain caps it at the context window.
        var generation = GenerationOptionsReader.Read(body, model.ContextWindow, logprobs ? top ?? 0 : null, options.Value.MaxStopStrings);
        var messages = ChatMessagesReader.Read(body, options.Value.MaxMessages);
        await readiness.EnsureReadyAsync();

        string text;
        try
        {
            text = model.ChatTemplate.Render(messages, addGenerationPrompt: true, model.BosText, model.EosText);
        }
        catch (TemplateException e)
        {
            throw ApiException.BadRequest($"the chat template refused the messages: {e.Message}", "messages");
        }
        // A template that writes BOS itself must not get a second one from the tokenizer.
        bool addBos = model.AddBos && !(model.BosText.Length > 0 && text.StartsWith(model.BosText, StringComparison.Ordinal));
        var prompt = model.Tokenizer.Encode(text, addBos);
        await responder.RespondAsync(context, model, prompt, "messages", generation, new ChatShape(model.Id, logprobs));
    }
}
