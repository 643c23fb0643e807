namespace Cluster.Grains.Pipeline;

/// <summary>
/// Whether a silo of a plan is still there, from this silo's membership snapshot. A silo that is
/// shutting down still counts as there: it drains its running sequences before it goes (only new
/// plans leave it out); one declared dead, or gone from the table, has lost its stages' pages.
/// </summary>
public sealed class SiloLiveness(IClusterMembershipService membership)
{
    public bool IsGone(string silo)
    {
        var address = SiloAddress.FromParsableString(silo);
        return !membership.CurrentSnapshot.Members.TryGetValue(address, out var member) || member.Status == SiloStatus.Dead;
    }

    /// <summary>The first of <paramref name="silos"/> that is gone, or null.</summary>
    public string? FirstGone(IEnumerable<string> silos) => silos.FirstOrDefault(IsGone);
}
