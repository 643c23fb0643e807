namespace Cluster.TestSupport;

/// <summary>A fact that needs a Redis server: skipped without one, except under CI where it must run (and fails).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute() => Skip = Ci.SkipUnless(RedisServer.Reachable, RedisServer.SkipReason);
}
