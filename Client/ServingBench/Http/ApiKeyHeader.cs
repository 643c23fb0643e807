using System.Net.Http.Headers;

namespace Cluster.ServingBench.Http;

/// <summary>
/// The API key a server behind <c>--api-key</c> wants, read from <c>OPENAI_API_KEY</c> as OpenAI's
/// own SDKs read it (an environment variable, so the key stays out of shell history and <c>ps</c>).
/// </summary>
public static class ApiKeyHeader
{
    public const string Variable = "OPENAI_API_KEY";

    public static void Apply(HttpClient http)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } key)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }
}
