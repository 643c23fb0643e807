using System.CommandLine;
using Cluster.Client.Http;

namespace Cluster.Client.Commands.Server;

/// <summary>The switches that point a command at a server: <c>--url</c> and the model id.</summary>
internal static class ServerOptions
{
    public static Option<Uri?> Url(bool required) => new("--url")
    {
        Description = "the server's address, e.g. http://127.0.0.1:8080",
        Required = required,
        // System.CommandLine has no converter for Uri; this one also refuses what is not http(s).
        CustomParser = argument =>
        {
            string text = argument.Tokens.Single().Value;
            try
            {
                return ServerAddress.Normalize(new Uri(text, UriKind.Absolute));
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException)
            {
                argument.AddError($"--url: '{text}' is not a server address such as http://127.0.0.1:8080");
                return null;
            }
        },
    };

    public static Option<string?> Model() => new("--model") { Description = "the model id to ask for (default: the first one /v1/models lists)" };
}
