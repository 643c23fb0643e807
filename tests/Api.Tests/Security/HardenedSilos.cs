using Cluster.Api.Tests.Support;

namespace Cluster.Api.Tests.Security;

/// <summary>The keyed and the deadline silo, started once for the auth and the limit tests together, which then run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class HardenedSilos : ICollectionFixture<KeyedSiloServer>, ICollectionFixture<DeadlineSiloServer>
{
    public const string Name = "hardened silos";
}
