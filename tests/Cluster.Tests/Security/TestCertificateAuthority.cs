using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cluster.Tests.Security;

/// <summary>
/// A throwaway CA made in the test (no openssl): it issues node certificates usable for both ends
/// of a TLS connection, written as PEM files the way a Kubernetes TLS secret mounts them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _root;
    private readonly string _directory;

    public TestCertificateAuthority(string name, string directory)
    {
        _directory = directory;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(60));
        CertificateFile = Path.Combine(directory, $"{name}-ca.crt");
        File.WriteAllText(CertificateFile, _root.ExportCertificatePem());
    }

    /// <summary>The CA's certificate as PEM (what <c>--tls-ca</c> reads).</summary>
    public string CertificateFile { get; }

    /// <summary>A node certificate and its key as two PEM files (<c>--tls-certificate</c>, <c>--tls-key</c>).</summary>
    public (string Certificate, string Key) Issue(string node)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Each silo is a TLS server to the silos that connect to it and a client to those it connects to.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName(node);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(_root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        var certificateFile = Path.Combine(_directory, $"{node}.crt");
        var keyFile = Path.Combine(_directory, $"{node}.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }

    public void Dispose() => _root.Dispose();
}
