using System.Globalization;
using System.Net.Sockets;

namespace Cluster.TestSupport;

/// <summary>The Redis the membership tests use: <c>REDIS_CONNECTION</c>, default 127.0.0.1:6379.</summary>
public static class RedisServer
{
    private static readonly Lazy<bool> Up = new(() =>
    {
        var (host, port) = Endpoint;
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return false;
        }
    });

    public static string Connection => Environment.GetEnvironmentVariable("REDIS_CONNECTION") is { Length: > 0 } value ? value : "127.0.0.1:6379";

    /// <summary>The first host and port of <see cref="Connection"/>.</summary>
    public static (string Host, int Port) Endpoint
    {
        get
        {
            var first = Connection.Split(',')[0];
            int colon = first.LastIndexOf(':');
            return colon < 0 ? (first, 6379) : (first[..colon], int.Parse(first[(colon + 1)..], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Whether it answers a TCP connect (asked once per test run).</summary>
    public static bool Reachable => Up.Value;

    public static string SkipReason =>
        $"no Redis at {Connection} (set REDIS_CONNECTION or run redis-server --port 6379 --bind 127.0.0.1 --daemonize yes)";
}
