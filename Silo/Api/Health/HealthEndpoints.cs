using Cluster.Silo.Api.Errors;

namespace Cluster.Silo.Api.Health;

/// <summary><c>GET /health</c> (the process answers) and <c>GET /ready</c> (it can serve the model).</summary>
public static class HealthEndpoints
{
    public static IResult Alive() => Results.Json(new { status = "alive" });

    public static async Task Ready(HttpContext context, Readiness readiness)
    {
        if (await readiness.ProblemAsync() is { } problem)
        {
            await ApiExceptionHandler.WriteAsync(context, ApiException.Unavailable($"not ready: {problem}", retryAfterSeconds: 2), context.RequestAborted);
            return;
        }
        await context.Response.WriteAsJsonAsync(new { status = "ready" }, context.RequestAborted);
    }
}
