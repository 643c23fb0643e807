using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Cluster.Grains.Telemetry;
using Cluster.Silo.Telemetry;
using Cluster.Grains.Sequences;
using Cluster.Silo.Api.Admission;
using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Models;
using Cluster.Silo.Api.Requests;
using Cluster.Silo.Api.Streaming;
using Cluster.Silo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Generation;

/// <summary>
/// What completions and chat share after parsing: the context-window check, admission, running
/// the generation and answering as one JSON body or as a server-sent event stream. The endpoint
/// supplies the OpenAI shapes through <see cref="IResponseShape"/>.
/// </summary>
public sealed partial class GenerationResponder(IGrainFactory grains, AdmissionGate admission, GenAiMetrics genAi,
    IOptions<ApiOptions> apiOptions, ILogger<GenerationResponder> logger)
{
    public async Task RespondAsync(HttpContext context, ServedModel model, IReadOnlyList<int> prompt, string promptParam, GenerationOptions options, IResponseShape shape)
    {
        // The request's span: stage steps nest under it through Orleans' trace propagation.
        using var span = ServingTelemetry.Activities.StartActivity($"{shape.Operation} {model.Id}", ActivityKind.Server);
        span?.SetTag("gen_ai.operation.name", shape.Operation);
        span?.SetTag("gen_ai.request.model", model.Id);
        span?.SetTag("gen_ai.usage.input_tokens", prompt.Count);
        var measurement = genAi.Start(shape.Operation, model.Id);
        try
        {
            await RespondMeasuredAsync(context, model, prompt, promptParam, options, shape, measurement);
        }
        catch (Exception e)
        {
            measurement.Failed(ErrorType(e, context.RequestAborted));
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private async Task RespondMeasuredAsync(HttpContext context, ServedModel model, IReadOnlyList<int> prompt, string promptParam, GenerationOptions options,
        IResponseShape shape, GenAiRequestMeasurement measurement)
    {
        if (prompt.Count == 0) throw ApiException.BadRequest($"{promptParam} is empty", promptParam);
        if (prompt.Count >= model.ContextWindow)
        {
            throw ApiException.BadRequest(
                $"{promptParam} is {prompt.Count} tokens; the context window of '{model.Id}' is {model.ContextWindow}, which leaves no room to generate",
                promptParam, "context_length_exceeded");
        }
        var aborted = context.RequestAborted;
        using var deadline = new RequestDeadline(apiOptions.Value.RequestTimeoutSeconds, aborted);
        try
        {
            using var slot = await admission.EnterAsync(deadline.Token);
            var generator = new TextGenerator(grains, model);
            var stream = Measured(generator.GenerateAsync(prompt, options, deadline.Token), prompt.Count, measurement);
            if (options.Stream) await StreamAsync(context, prompt.Count, options, shape, stream, deadline);
            else await WholeAsync(context, prompt.Count, shape, stream);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: the generation has been cancelled and its pages freed; nobody is left to answer.
            measurement.Failed("cancelled");
            LogClientGone(logger, context.TraceIdentifier);
        }
        catch (OperationCanceledException) when (deadline.Expired)
        {
            throw deadline.Exceeded();
        }
        catch (StreamStalledException stalled)
        {
            // Leaving the stream has cancelled the generation and freed its pages; the connection goes too,
            // as nothing more can be written to a client that does not read.
            measurement.Failed("cancelled");
            LogClientStalled(logger, context.TraceIdentifier, stalled.Message);
            context.Abort();
        }
    }

    private static async Task WholeAsync(HttpContext context, int promptTokens, IResponseShape shape, IAsyncEnumerable<GenerationDelta> stream)
    {
        var text = new System.Text.StringBuilder();
        var tokens = new List<TokenLogprobs>();
        FinishReason finish = FinishReason.Length;
        int completionTokens = 0;
        await foreach (var delta in stream)
        {
            text.Append(delta.Text);
            tokens.AddRange(delta.Tokens);
            completionTokens = delta.CompletionTokens;
            if (delta.Finish is { } f) finish = f;
        }
        var body = shape.Whole(text.ToString(), tokens, FinishName(finish), Usage(promptTokens, completionTokens));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, int promptTokens, GenerationOptions options, IResponseShape shape, IAsyncEnumerable<GenerationDelta> stream,
        RequestDeadline deadline)
    {
        var events = new ServerSentEvents(context.Response, TimeSpan.FromSeconds(apiOptions.Value.StreamWriteTimeoutSeconds));
        var aborted = context.RequestAborted;
        int completionTokens = 0;
        try
        {
            if (shape.First() is { } first) await events.WriteAsync(first, aborted);
            await foreach (var delta in stream)
            {
                completionTokens = delta.CompletionTokens;
                await events.WriteAsync(shape.Chunk(delta.Text, delta.Tokens, delta.Finish is { } f ? FinishName(f) : null), aborted);
            }
        }
        catch (Exception e) when (e is not StreamStalledException && (e is not OperationCanceledException || !aborted.IsCancellationRequested))
        {
            // Headers are gone: the error travels as an event, as OpenAI's streams do.
            var error = e is OperationCanceledException && deadline.Expired ? deadline.Exceeded() : ApiExceptionHandler.Classify(e);
            if (ApiExceptionHandler.IsFault(error)) LogStreamFailed(logger, e, context.TraceIdentifier);
            if (!events.Started) throw;
            await events.WriteAsync(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(error.ToError(), ApiJson.Options))!, aborted);
            await events.DoneAsync(aborted);
            return;
        }
        if (options.IncludeUsage) await events.WriteAsync(shape.UsageChunk(Usage(promptTokens, completionTokens)), aborted);
        await events.DoneAsync(aborted);
    }

    /// <summary>Marks the first token and, when the stream ends whole, records the request as a success.</summary>
    private static async IAsyncEnumerable<GenerationDelta> Measured(IAsyncEnumerable<GenerationDelta> stream, int promptTokens,
        GenAiRequestMeasurement measurement, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int completionTokens = 0;
        await foreach (var delta in stream.WithCancellation(cancellationToken))
        {
            if (delta.CompletionTokens > 0) measurement.FirstToken();
            completionTokens = delta.CompletionTokens;
            yield return delta;
        }
        measurement.Succeeded(promptTokens, completionTokens);
    }

    /// <summary>The low-cardinality <c>error.type</c> of a failed request.</summary>
    private static string ErrorType(Exception e, CancellationToken aborted)
    {
        if (e is OperationCanceledException && aborted.IsCancellationRequested) return "cancelled";
        if (e is ApiException { Code: "request_timeout" }) return "timeout";
        var error = ApiExceptionHandler.Classify(e);
        return error.Status switch
        {
            StatusCodes.Status429TooManyRequests => "overloaded",
            StatusCodes.Status400BadRequest when error.Code == "context_length_exceeded" => "context_length_exceeded",
            >= 400 and < 500 => "invalid_request",
            _ => "internal",
        };
    }

    public static string FinishName(FinishReason finish) => finish == FinishReason.Length ? "length" : "stop";

    public static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {Request}: the client disconnected; its generation was cancelled")]
    private static partial void LogClientGone(ILogger logger, string request);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Request}: {Reason}; its generation was cancelled and the connection closed")]
    private static partial void LogClientStalled(ILogger logger, string request, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Request}: the stream failed")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, string request);
}
