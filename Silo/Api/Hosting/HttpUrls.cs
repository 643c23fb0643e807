namespace Cluster.Silo.Api.Hosting;

/// <summary>
/// Where the HTTP API listens: <c>--urls</c> wins (ASP.NET Core's own setting), then
/// <c>--http-port</c> on loopback; otherwise http://127.0.0.1:8080 for a standalone silo, and a
/// free port for a silo joining a Redis cluster (several may share a host; the log names it).
/// </summary>
public static class HttpUrls
{
    public const string Default = "http://127.0.0.1:8080";

    public static string? Resolve(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["urls"])) return null; // Kestrel reads it itself.
        if (configuration["Silo:HttpPort"] is { Length: > 0 } port) return $"http://127.0.0.1:{port}";
        return string.IsNullOrWhiteSpace(configuration["Silo:Redis"]) ? Default : "http://127.0.0.1:0";
    }
}
