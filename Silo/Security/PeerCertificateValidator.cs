using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Silo.Security;

/// <summary>
/// Accepts a peer whose certificate chains to the cluster's own CA, and nothing else. The system's
/// trust store is not consulted (a certificate from a public CA is no member of this cluster), and
/// the host name is not checked: silos reach each other by pod IP, and membership in the CA is the
/// identity that counts here.
/// </summary>
public sealed class PeerCertificateValidator(X509Certificate2Collection authority)
{
    public bool Validate(X509Certificate2? certificate, X509Chain? _, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authority);
        // A cluster CA made with openssl publishes no revocation list to fetch.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
