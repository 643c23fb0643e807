using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Cli;

/// <summary>The command-line tests share one silo process (one start, tests in sequence, so page counts stay readable).</summary>
[CollectionDefinition(Name)]
public sealed class CliSiloCollection : ICollectionFixture<SiloServer>
{
    public const string Name = "CLI against a silo";
}
