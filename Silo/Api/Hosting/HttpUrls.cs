using System.Net;
using System.Net.Sockets;

namespace Cluster.Silo.Api.Hosting;

/// <summary>
/// Where the HTTP API listens: <c>--urls</c> wins (ASP.NET Core's own setting), then
/// <c>--http-port</c> on loopback. Otherwise a standalone silo takes http://127.0.0.1:8080 when
/// that port is free, and any free loopback port when it is not or when the silo joins a Redis
/// cluster (several silos may share a host); the ready line names the address.
/// </summary>
public static class HttpUrls
{
    public const int DefaultPort = 8080;

    public static string? Resolve(IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration["urls"])) return null; // Kestrel reads it itself.
        if (configuration["Cluster:HttpPort"] is { Length: > 0 } port) return $"http://127.0.0.1:{port}";
        bool standalone = string.IsNullOrWhiteSpace(configuration["Cluster:Redis"]);
        return $"http://127.0.0.1:{(standalone && IsFree(DefaultPort) ? DefaultPort : 0)}";
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
