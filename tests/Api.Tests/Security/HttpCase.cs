using System.Net.Http.Headers;
using System.Text;

namespace Cluster.Api.Tests.Security;

/// <summary>One raw request of a table-driven test: a method, a path, an optional JSON body and the key it carries.</summary>
public static class HttpCase
{
    public const string Model = "embedded-default";

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string? key, string? json = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await http.SendAsync(request);
    }

    /// <summary>A request body each POST route accepts as valid, so only the key decides.</summary>
    public static string? BodyFor(string method, string path, string model = Model) => (method, path) switch
    {
        ("POST", "/v1/completions") => $$"""{"model":"{{model}}","prompt":"Once","max_tokens":1}""",
        ("POST", "/v1/chat/completions") => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":1}""",
        ("POST", "/v1/embeddings") => $$"""{"model":"{{model}}","input":"Hi"}""",
        _ => null,
    };
}
