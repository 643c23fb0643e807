using Orleans.Connections.Security;

namespace Cluster.Silo.Security;

/// <summary>
/// Mutual TLS on the silo's Orleans ports when <c>--tls-certificate</c> is set: both ends present a
/// certificate and each checks the other's against the cluster CA, so a silo or client without a
/// certificate from that CA can neither join nor connect to the gateway.
/// </summary>
public static class ClusterTlsHosting
{
    public static void UseClusterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClusterTlsOptions.Section).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        if (!options.Enabled) return;
        var validator = new PeerCertificateValidator(NodeCertificate.LoadAuthority(options));
        var certificate = NodeCertificate.Load(options);
        silo.UseTls(certificate, tls => Require(tls, validator));
    }

    /// <summary>The same demands on every connection, whichever end opened it.</summary>
    public static void Require(TlsOptions tls, PeerCertificateValidator validator)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = validator.Validate;
    }
}
