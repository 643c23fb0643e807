using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Cluster.Tests.Support;

/// <summary>An Orleans client to a test cluster: localhost gateways, or Redis membership.</summary>
public sealed class ClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ClientHost(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClientHost> ConnectAsync(Action<IClientBuilder> clustering)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                clustering(client);
                client.Configure<ClientMessagingOptions>(o =>
                {
                    o.MaxMessageBodySize = 256 << 20; // as the silos' (ClusterSiloOptions.MaxMessageBodyMb)
                    o.ResponseTimeout = TimeSpan.FromMinutes(2);
                });
            })
            .Build();
        await host.StartAsync();
        return new ClientHost(host);
    }

    public static Task<ClientHost> LocalhostAsync(int gatewayPort) => ConnectAsync(c => c.UseLocalhostClustering(gatewayPort));

    public static Task<ClientHost> RedisAsync(string clusterId) => ConnectAsync(c =>
    {
        c.UseRedisClustering(RedisServer.Connection);
        c.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = "llm";
        });
    });

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
