using Cluster.Silo.Api.Errors;
using Cluster.Silo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Silo.Api.Security;

/// <summary>
/// Checks the API key before any endpoint runs: <c>/v1/*</c> needs one when keys are set;
/// <c>/metrics</c>, the status endpoint and the live page follow their own switch (open, key, off);
/// health and readiness are always open, since probes carry no key. A refusal is OpenAI's 401
/// body; the key itself is never logged or echoed.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeySet keys, IOptions<ApiOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var access = Access(RouteGuards.Of(context.Request.Path), options.Value);
        if (access == EndpointAccess.Off)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (access == EndpointAccess.Key && !keys.IsEmpty && Refusal(context.Request) is { } refusal)
        {
            // RFC 6750: a 401 names the scheme it wants.
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiExceptionHandler.WriteAsync(context, refusal, context.RequestAborted);
            return;
        }
        await next(context);
    }

    private static EndpointAccess Access(GuardedRoute route, ApiOptions options) => route switch
    {
        GuardedRoute.Api => EndpointAccess.Key,
        GuardedRoute.Metrics => options.MetricsAccess,
        GuardedRoute.Status => options.StatusAccess,
        GuardedRoute.Ui => options.UiAccess,
        _ => EndpointAccess.Open,
    };

    private ApiException? Refusal(HttpRequest request) => BearerToken.Of(request) switch
    {
        null => ApiException.Unauthorized(
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
        var key when keys.Contains(key) => null,
        _ => ApiException.Unauthorized("Incorrect API key provided."),
    };
}
