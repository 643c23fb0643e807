namespace Cluster.Tests.Support;

/// <summary>A fact that needs a Redis server: skipped without one, except under CI where it must run (and fails).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (!TestEnvironment.RedisReachable && !TestEnvironment.IsCi)
            Skip = $"no Redis at {TestEnvironment.RedisConnection} (set REDIS_CONNECTION or run redis-server --port 6379 --bind 127.0.0.1 --daemonize yes)";
    }
}
