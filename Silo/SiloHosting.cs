using System.Net;
using Cluster.Grains.Hosting;
using Orleans.Configuration;

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
        if (join["Redis"] is { Length: > 0 } redis)
        {
            silo.UseRedisClustering(redis);
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = join["ClusterId"] ?? "llm";
                o.ServiceId = "llm";
            });
            // Loopback for a one-machine cluster; --advertise names the address other hosts reach this silo at.
            var advertise = join["Advertise"] is { Length: > 0 } address ? IPAddress.Parse(address) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertise, join.GetValue("SiloPort", 11111), join.GetValue("GatewayPort", 30000), listenOnAnyHostAddress: join["Advertise"] is { Length: > 0 });
        }
        else
        {
            silo.UseLocalhostClustering(join.GetValue("SiloPort", 11111), join.GetValue("GatewayPort", 30000));
        }
        silo.AddInferenceCluster(o => configuration.GetSection(ClusterSiloOptions.Section).Bind(o));
    }
}
