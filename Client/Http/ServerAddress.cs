namespace Cluster.Client.Http;

/// <summary>
/// The server's root from what a user types: <c>http://host:port</c>, with or without a trailing
/// <c>/</c> or <c>/v1</c> (OpenAI SDKs are configured with the <c>/v1</c> form, so both are accepted).
/// </summary>
internal static class ServerAddress
{
    public static Uri Normalize(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an http:// or https:// address");
        string path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v1", StringComparison.Ordinal))
            path = path[..^"/v1".Length];
        // A trailing slash makes relative paths ("v1/completions") land under the root's path.
        return new UriBuilder(url) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }
}
