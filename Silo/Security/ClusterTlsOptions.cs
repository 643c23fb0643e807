namespace Cluster.Silo.Security;

/// <summary>
/// Mutual TLS on the Orleans ports (silo to silo, client to gateway); bound from the <c>Tls</c>
/// section. With a certificate set, every connection must present a certificate issued by
/// <see cref="CertificateAuthority"/>, so a silo without one cannot join.
/// </summary>
public sealed class ClusterTlsOptions
{
    public const string Section = "Tls";

    /// <summary>This node's certificate: a PEM file (with <see cref="Key"/>, or the key inside it) or a PFX file.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/> when it is a separate file (a Kubernetes TLS secret's tls.key).</summary>
    public string? Key { get; set; }

    /// <summary>The PEM file of the CA (one or more certificates) that every peer's certificate must chain to.</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>The password of a PFX certificate, or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);
}
