namespace Cluster.Api.Tests.Support;

/// <summary>A silo serving the embedded default model (no files needed), with whatever switches a test adds.</summary>
public class EmbeddedSiloServer : SiloServer
{
    protected override bool NeedsSharedModels => false;

    protected override IEnumerable<string> Arguments() => [];
}
