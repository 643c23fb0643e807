namespace Cluster.Api.Tests.Support;

/// <summary>A silo serving the embedded default model (no files needed) with the Orleans Dashboard switched on.</summary>
public sealed class DashboardSiloServer : SiloServer
{
    protected override bool NeedsSharedModels => false;

    protected override IEnumerable<string> Arguments() => ["--dashboard", "true"];
}
