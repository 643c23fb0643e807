namespace Cluster.Api.Tests.Support;

/// <summary>
/// The 110M synthetic shape (slow enough on a CPU that a long answer takes many seconds) behind one
/// API key with the access switches at their defaults, and a one-second request deadline.
/// </summary>
public sealed class DeadlineSiloServer : EmbeddedSiloServer
{
    public const string Key = "sk-deadline-key";
    public const string ModelId = "synthetic-110m";

    protected override IEnumerable<string> Arguments() =>
        ["--model", "synthetic:llama-110m", "--model-name", ModelId, "--api-key", Key, "--request-timeout", "1"];
}
