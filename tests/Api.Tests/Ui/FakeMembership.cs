using System.Collections.Immutable;
using System.Net;

namespace Cluster.Api.Tests.Ui;

/// <summary>A membership whose silos a test declares active or dead.</summary>
public sealed class FakeMembership : IClusterMembershipService
{
    private ImmutableDictionary<SiloAddress, ClusterMember> _members = ImmutableDictionary<SiloAddress, ClusterMember>.Empty;
    private long _version;

    public ClusterMembershipSnapshot CurrentSnapshot => new(_members, new MembershipVersion(_version));

    public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();

    /// <summary>A new silo, active; returns its parsable address as plans name it.</summary>
    public string Add(int port)
    {
        var address = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 1);
        Set(address, SiloStatus.Active);
        return address.ToParsableString();
    }

    public void Kill(string silo) => Set(SiloAddress.FromParsableString(silo), SiloStatus.Dead);

    public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public Task<bool> TryKill(SiloAddress siloAddress) => Task.FromResult(false);

    private void Set(SiloAddress address, SiloStatus status)
    {
        _members = _members.SetItem(address, new ClusterMember(address, status, address.ToString()));
        _version++;
    }
}
