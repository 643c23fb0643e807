namespace Cluster.Tests.Security;

/// <summary>
/// Mutual TLS between real silo processes in a Redis cluster: a silo with a certificate from the
/// cluster's CA joins; one whose certificate comes from another CA is refused and cannot start.
/// </summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();
    private readonly List<SiloProcess> _silos = [];
    private readonly string _clusterId = "tls-" + Guid.NewGuid().ToString("N")[..8];

    [RedisFact]
    public async Task Join_WhenCertificateIsFromTheClusterCa_Succeeds_AndFromAnotherCa_IsRefused()
    {
        using var cluster = new TestCertificateAuthority("cluster", _files.Path);
        using var other = new TestCertificateAuthority("other", _files.Path);

        _silos.Add(await SiloProcess.StartAsync("first", Arguments(cluster.Issue("first"), cluster, []), TimeSpan.FromSeconds(120)));
        // A spare hosts no layers: it only has to join.
        _silos.Add(await SiloProcess.StartAsync("member", Arguments(cluster.Issue("member"), cluster, ["--spare"]), TimeSpan.FromSeconds(120)));

        // Presents a certificate from another CA but trusts the cluster's: the cluster's silos refuse it.
        var intruder = SiloProcess.StartAsync("intruder", Arguments(other.Issue("intruder"), cluster, ["--spare"]), TimeSpan.FromSeconds(150));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => intruder);
        // It stops at the join: every connection to the cluster ends in the TLS handshake.
        Assert.Contains("exited before it was ready", refused.Message, StringComparison.Ordinal);
        Assert.Contains("SslStream", refused.Message, StringComparison.Ordinal);
        Assert.False(_silos[0].HasExited, _silos[0].Log);
        Assert.False(_silos[1].HasExited, _silos[1].Log);
    }

    private string[] Arguments((string Certificate, string Key) node, TestCertificateAuthority ca, string[] extra) =>
    [
        "--redis", RedisServer.Connection, "--cluster-id", _clusterId, "--probe-timeout", "1",
        "--silo-port", FreePorts.Next().ToString(), "--gateway-port", FreePorts.Next().ToString(),
        "--tls-certificate", node.Certificate, "--tls-key", node.Key, "--tls-ca", ca.CertificateFile, .. extra,
    ];

    public void Dispose()
    {
        foreach (var silo in _silos) silo.Dispose();
        _files.Dispose();
    }
}
