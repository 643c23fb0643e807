using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cluster.Engine.Paging;

/// <summary>
/// The content hash of one full page: chained from the previous page's hash, so equal hashes mean
/// equal whole prefixes, not just equal pages. 128 bits of SHA-256 rather than a fast 64-bit hash
/// because a collision would silently serve another prompt's K/V.
/// </summary>
public readonly record struct PageHash(UInt128 Value)
{
    /// <summary>
    /// The parent of a sequence's first page. The extra key (model id, LoRA name, ...) enters here
    /// once and so separates every page hash of the chain that follows.
    /// </summary>
    public static PageHash Root(string? extraKey)
    {
        var keyBytes = Encoding.UTF8.GetBytes(extraKey ?? string.Empty);
        Span<byte> input = stackalloc byte[keyBytes.Length + 1];
        input[0] = extraKey is null ? (byte)0 : (byte)1; // null and "" are different keys
        keyBytes.CopyTo(input[1..]);
        return FromDigest(input);
    }

    /// <summary>The hash of a full page holding <paramref name="tokens"/> after <paramref name="parent"/>.</summary>
    public static PageHash Chain(PageHash parent, ReadOnlySpan<int> tokens)
    {
        var length = 16 + tokens.Length * sizeof(int);
        var rented = length > 1024 ? ArrayPool<byte>.Shared.Rent(length) : null;
        var input = rented is null ? stackalloc byte[length] : rented.AsSpan(0, length);
        BinaryPrimitives.WriteUInt128LittleEndian(input, parent.Value);
        for (var i = 0; i < tokens.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(input[(16 + i * sizeof(int))..], tokens[i]);
        }

        var hash = FromDigest(input);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>The chained hashes of every full page of <paramref name="tokens"/> (a partial tail page has none).</summary>
    public static PageHash[] ForFullPages(ReadOnlySpan<int> tokens, int pageSize, string? extraKey)
    {
        var hashes = new PageHash[tokens.Length / pageSize];
        var parent = Root(extraKey);
        for (var i = 0; i < hashes.Length; i++)
        {
            parent = hashes[i] = Chain(parent, tokens.Slice(i * pageSize, pageSize));
        }

        return hashes;
    }

    private static PageHash FromDigest(ReadOnlySpan<byte> input)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, digest);
        return new PageHash(BinaryPrimitives.ReadUInt128LittleEndian(digest));
    }
}
