using System.Security.Cryptography.X509Certificates;

namespace Cluster.Silo.Security;

/// <summary>
/// Reads this node's certificate and the cluster's CA from files, as a Kubernetes secret mounts
/// them: PEM (certificate and key apart, or together) or PFX, chosen by the file's content.
/// </summary>
public static class NodeCertificate
{
    public static X509Certificate2 Load(ClusterTlsOptions options)
    {
        var path = options.Certificate ?? throw new InvalidOperationException("Tls:Certificate is not set");
        Exists(path, "--tls-certificate");
        if (options.Key is { } key) Exists(key, "--tls-key");
        if (options.Key is null && IsPem(path) && !File.ReadAllText(path).Contains("PRIVATE KEY", StringComparison.Ordinal))
            throw new ArgumentException($"--tls-certificate {path} holds no private key: give its key file with --tls-key");
        var certificate = IsPem(path)
            ? options.CertificatePassword is { Length: > 0 } password
                ? X509Certificate2.CreateFromEncryptedPemFile(path, password, options.Key)
                : X509Certificate2.CreateFromPemFile(path, options.Key)
            : X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        if (!certificate.HasPrivateKey) throw new ArgumentException($"{path}: the certificate has no private key (give it with --tls-key)");
        return certificate;
    }

    public static X509Certificate2Collection LoadAuthority(ClusterTlsOptions options)
    {
        var path = options.CertificateAuthority ?? throw new ArgumentException("--tls-certificate needs --tls-ca: the CA every peer's certificate must be issued by");
        Exists(path, "--tls-ca");
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(path);
        return authority.Count > 0 ? authority : throw new ArgumentException($"{path}: no PEM certificate in the CA file");
    }

    private static void Exists(string path, string option)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{option} {path}: the file does not exist", path);
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        var start = new char[256];
        int read = reader.Read(start, 0, start.Length);
        return new string(start, 0, read).Contains("-----BEGIN", StringComparison.Ordinal);
    }
}
