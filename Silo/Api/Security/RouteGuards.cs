namespace Cluster.Silo.Api.Security;

/// <summary>The switch that guards a request path.</summary>
public static class RouteGuards
{
    public static GuardedRoute Of(PathString path)
    {
        if (path.StartsWithSegments("/v1/cluster/status")) return GuardedRoute.Status;
        if (path.StartsWithSegments("/v1")) return GuardedRoute.Api;
        if (path.StartsWithSegments("/metrics")) return GuardedRoute.Metrics;
        if (path == "/" || path.StartsWithSegments("/ui") || path.StartsWithSegments("/dashboard")) return GuardedRoute.Ui;
        return GuardedRoute.Open;
    }
}
