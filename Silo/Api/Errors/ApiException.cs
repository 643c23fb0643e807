namespace Cluster.Silo.Api.Errors;

/// <summary>
/// A request the API answers with an OpenAI-style error body instead of a result. Thrown from
/// parsing and validation; <see cref="ApiExceptionHandler"/> turns it into the response.
/// </summary>
public sealed class ApiException(int status, string message, string type, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>OpenAI's error type: invalid_request_error, not_found_error, rate_limit_error, server_error.</summary>
    public string Type { get; } = type;

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; } = param;

    public string? Code { get; } = code;

    /// <summary>Seconds the client should wait before retrying (429, 503).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static ApiException NotFound(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status404NotFound, message, "not_found_error", param, code);

    /// <summary>OpenAI's answer to a missing or wrong API key.</summary>
    public static ApiException Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, message, "invalid_request_error", code: "invalid_api_key");

    public static ApiException Unavailable(string message, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, message, "server_error", code: "not_ready") { RetryAfterSeconds = retryAfterSeconds };

    public ApiError ToError() => new(new ApiErrorBody(Message, Type, Param, Code));
}
