using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Cluster.Silo.Api.Errors;

/// <summary>
/// The catch-all behind every endpoint: API errors and anything a bad request can provoke
/// (argument and format errors, also those thrown inside grains) become 4xx; only what is left is
/// a 500, and that is logged. No bad request ever produces a 500.
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted) return false;
        var error = Classify(exception);
        if (IsFault(error)) LogUnhandled(logger, exception, context.Request.Path);
        await WriteAsync(context, error, cancellationToken);
        return true;
    }

    /// <summary>The API error a failure stands for.</summary>
    public static ApiException Classify(Exception exception) => exception switch
    {
        ApiException api => api,
        // A client that sends a body the JSON reader cannot even frame.
        // A body over --max-request-body-mb is 413, with the limit in Kestrel's message.
        BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.Message, "invalid_request_error",
            code: bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request_too_large" : null),
        JsonException json => ApiException.BadRequest($"the body is not valid JSON: {json.Message}", code: "invalid_json"),
        // Validation inside the grains (prompt ids, context window, KV capacity) names the problem in its message.
        ArgumentException argument => ApiException.BadRequest(MessageOf(argument), argument.ParamName),
        // Back-pressure from the replica's admission queue: nothing was started, the client may retry.
        Cluster.Grains.Admission.ClusterOverloadedException overloaded => new ApiException(StatusCodes.Status429TooManyRequests, overloaded.Message, "rate_limit_error", code: "overloaded")
        {
            RetryAfterSeconds = (int)overloaded.RetryAfterSeconds,
        },
        TimeoutException timeout => ApiException.Unavailable(timeout.Message, retryAfterSeconds: 5),
        _ => new ApiException(StatusCodes.Status500InternalServerError, "internal error: " + exception.Message, "server_error"),
    };

    /// <summary>A failure of the server's own, worth an error line: a request that ran past its deadline is none.</summary>
    public static bool IsFault(ApiException error) => error.Status >= 500 && error.Code != "request_timeout";

    /// <summary>The message without .NET's " (Parameter 'x')" suffix: the param field already names it.</summary>
    public static string MessageOf(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;

    public static async Task WriteAsync(HttpContext context, ApiException error, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(error.ToError(), ApiJson.Options, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string path);
}
