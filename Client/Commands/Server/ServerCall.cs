using Cluster.Client.Http;

namespace Cluster.Client.Commands.Server;

/// <summary>
/// Runs a command's work against a server and turns what can go wrong there into one clear line
/// on the error writer and exit code 1: the server's OpenAI error with its HTTP status, an
/// address that does not answer, a server that answers something unexpected.
/// </summary>
internal static class ServerCall
{
    public const int Failed = 1;

    public static async Task<int> RunAsync(Uri url, TextWriter error, Func<OpenAiHttpClient, Task<int>> work)
    {
        try
        {
            using var client = new OpenAiHttpClient(url);
            return await work(client);
        }
        catch (ServerErrorException e)
        {
            await error.WriteLineAsync($"error: {e.Describe()}");
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: cannot reach {url}: {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Text.Json.JsonException or IOException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
        }
        return Failed;
    }
}
