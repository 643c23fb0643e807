using System.Net;
using Cluster.Grains.Hosting;
using Cluster.Silo.Security;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace Cluster.Silo;

/// <summary>
/// How the silo joins: alone on localhost (the default), or a Redis-membership cluster. Keys of
/// the <c>Cluster</c> section: Redis, ClusterId, Advertise, SiloPort, GatewayPort.
/// </summary>
public static class SiloHosting
{
    public static void Configure(ISiloBuilder silo, IConfiguration configuration)
    {
        var join = configuration.GetSection(ClusterSiloOptions.Section);
        if (InKubernetes(configuration))
        {
            // The pod's identity, address and Orleans ids come from the downward API (POD_NAME,
            // POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID); membership stays in Redis.
            silo.UseKubernetesHosting();
            silo.UseRedisClustering(join["Redis"] ?? throw new InvalidOperationException("in Kubernetes the silo needs Cluster__Redis (membership)"));
        }
        else if (join["Redis"] is { Length: > 0 } redis)
        {
            silo.UseRedisClustering(redis);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = join["ClusterId"] ?? "llm";
                o.ServiceId = "llm";
            });
            // Loopback for a one-machine cluster; --advertise names the address other hosts reach this silo at.
            var advertise = join["Advertise"] is { Length: > 0 } address ? IPAddress.Parse(address) : IPAddress.Loopback;
            // How fast a silo that died without a word (SIGKILL, power) is declared dead: its stages'
            // sequences replay only after that. Orleans' defaults take ~15 s; --probe-timeout 1 about 3.
            if (join.GetValue<double?>("ProbeTimeoutSeconds") is { } probe)
            {
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(probe);
                    o.NumMissedProbesLimit = 2;
                });
            }
            silo.ConfigureEndpoints(advertise, join.GetValue("SiloPort", 11111), join.GetValue("GatewayPort", 30000), listenOnAnyHostAddress: join["Advertise"] is { Length: > 0 });
        }
        else
        {
            silo.UseLocalhostClustering(join.GetValue("SiloPort", 11111), join.GetValue("GatewayPort", 30000));
        }
        // Silo-to-silo and gateway connections are encrypted and mutually authenticated when a certificate is given.
        silo.UseClusterTls(configuration);
        silo.AddInferenceCluster(o => configuration.GetSection(ClusterSiloOptions.Section).Bind(o));
        // Trace context flows through grain calls, so stage steps nest under their request's span.
        silo.AddActivityPropagation();
        // The Orleans Dashboard is opt-in (--dashboard true): its grain profiler costs a little on every call.
        if (configuration.GetValue<bool>(Telemetry.TelemetryHosting.DashboardKey)) silo.AddDashboard();
    }

    /// <summary>Inside a pod whose manifest passes the downward-API variables Kubernetes hosting reads.</summary>
    private static bool InKubernetes(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["KUBERNETES_SERVICE_HOST"]) &&
        !string.IsNullOrEmpty(configuration["POD_NAMESPACE"]) &&
        !string.IsNullOrEmpty(configuration["POD_NAME"]) &&
        !string.IsNullOrEmpty(configuration["POD_IP"]);
}
