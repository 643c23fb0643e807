namespace Cluster.Api.Tests.Support;

/// <summary>The embedded default with the live page switched off.</summary>
public sealed class NoUiSiloServer : EmbeddedSiloServer
{
    protected override IEnumerable<string> Arguments() => ["--ui", "false"];
}
