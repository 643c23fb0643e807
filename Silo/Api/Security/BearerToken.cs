using Microsoft.Net.Http.Headers;

namespace Cluster.Silo.Api.Security;

/// <summary>The key of an <c>Authorization: Bearer KEY</c> header, as OpenAI's clients send it.</summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    public static string? Of(HttpRequest request)
    {
        string? header = request.Headers[HeaderNames.Authorization];
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
