using System.Security.Cryptography;
using System.Text;
using Cluster.Silo.Api.Hosting;

namespace Cluster.Silo.Api.Security;

/// <summary>
/// The API keys, kept only as SHA-256 hashes. A presented key is hashed and compared with every
/// stored hash in constant time: equal-length hashes mean neither the length of a key nor the
/// position of the first wrong character shows in the time an answer takes.
/// </summary>
public sealed class ApiKeySet
{
    private readonly byte[][] _hashes;

    public ApiKeySet(IEnumerable<string> keys) => _hashes = keys.Select(Hash).DistinctBy(Convert.ToHexString).ToArray();

    /// <summary>No keys: the API is open.</summary>
    public bool IsEmpty => _hashes.Length == 0;

    public int Count => _hashes.Length;

    /// <summary>The keys of <c>--api-key</c> and of <c>--api-key-file</c> (one a line; blank lines and # comments skipped).</summary>
    public static ApiKeySet From(ApiOptions options)
    {
        var keys = options.ApiKeys.Select(k => k.Trim()).ToList();
        if (options.ApiKeyFile is { } file)
            keys.AddRange(File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')));
        return new ApiKeySet(keys);
    }

    public bool Contains(string presented)
    {
        var hash = Hash(presented);
        bool found = false;
        // Every hash is compared, found or not, so the time does not say which key matched.
        foreach (var stored in _hashes) found |= CryptographicOperations.FixedTimeEquals(hash, stored);
        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
