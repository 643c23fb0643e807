namespace Cluster.Api.Tests.Support;

/// <summary>
/// The embedded default behind two API keys (one on the command line, one in a key file), with
/// /metrics behind a key, the status endpoint open and the live page off, small request limits,
/// and a short stream write timeout; a long context, so a stream can outgrow the socket buffers
/// (Linux lets a loopback send buffer grow to 4 MiB).
/// </summary>
public sealed class KeyedSiloServer : EmbeddedSiloServer
{
    public const string CommandLineKey = "sk-command-line-key";
    public const string FileKey = "sk-key-from-the-file";
    public const int MaxMessages = 4;
    public const int MaxStopStrings = 2;
    public const int StreamWriteTimeoutSeconds = 2;

    private readonly TemporaryDirectory _files = new();

    protected override IEnumerable<string> Arguments()
    {
        var keyFile = _files.File("keys.txt");
        File.WriteAllLines(keyFile, ["# operators' keys", "", FileKey]);
        return
        [
            "--api-key", CommandLineKey, "--api-key-file", keyFile,
            "--metrics-access", "key", "--status-access", "open", "--ui-access", "off",
            "--max-request-body-mb", "1", "--max-messages", MaxMessages.ToString(), "--max-stop-strings", MaxStopStrings.ToString(),
            "--stream-write-timeout", StreamWriteTimeoutSeconds.ToString(), "--max-model-len", "8192",
        ];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Dispose();
    }
}
