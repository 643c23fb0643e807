using System.Net.Sockets;

namespace Cluster.Tests.Support;

/// <summary>Where the repository is, whether this is CI, and the Redis the cluster tests use.</summary>
public static class TestEnvironment
{
    private static readonly Lazy<string?> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        return null;
    });

    private static readonly Lazy<bool> RedisUp = new(() =>
    {
        var (host, port) = RedisEndpoint;
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

    public static string? RepositoryRoot => Root.Value;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>From <c>REDIS_CONNECTION</c>, default 127.0.0.1:6379.</summary>
    public static string RedisConnection => Environment.GetEnvironmentVariable("REDIS_CONNECTION") is { Length: > 0 } value ? value : "127.0.0.1:6379";

    public static (string Host, int Port) RedisEndpoint
    {
        get
        {
            var first = RedisConnection.Split(',')[0];
            int colon = first.LastIndexOf(':');
            return colon < 0 ? (first, 6379) : (first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static bool RedisReachable => RedisUp.Value;

    public static int FreePort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
