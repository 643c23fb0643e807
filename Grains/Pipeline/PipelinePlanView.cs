using Cluster.Grains.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Cluster.Grains.Pipeline;

/// <summary>
/// This silo's view of the pipeline plans: the active silos of the membership snapshot and the
/// adverts in their metadata, put together by <see cref="PipelinePlanner"/>. Registered on every
/// silo, <paramref name="model"/> absent where this silo serves no generation model (it then
/// advertises nothing, and routers or placements run here see the other silos' plans).
/// </summary>
public sealed class PipelinePlanView(IClusterMembershipService membership, ISiloMetadataCache metadata, ILocalSiloDetails local,
    IOptions<ClusterSiloOptions> options, SiloModel? model = null)
{
    public PipelinePlan Current(string modelName)
    {
        var adverts = new List<SiloAdvert>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active) continue;
            var id = member.SiloAddress.ToParsableString();
            var advert = member.SiloAddress.Equals(local.SiloAddress)
                ? model?.Advert(id)
                : SiloAdvert.FromMetadata(id, metadata.GetSiloMetadata(member.SiloAddress).Metadata);
            if (advert is not null) adverts.Add(advert);
        }
        return PipelinePlanner.Build(modelName, adverts);
    }

    /// <summary>Waits (polling the snapshot) until the model's plan is complete, or returns the incomplete one at the timeout.</summary>
    public async Task<PipelinePlan> WaitAsync(string modelName, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(options.Value.PlanTimeoutSeconds);
        while (true)
        {
            var plan = Current(modelName);
            if (plan.IsComplete || DateTime.UtcNow >= deadline) return plan;
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    public SiloAddress Resolve(string silo, IEnumerable<SiloAddress> candidates) =>
        candidates.FirstOrDefault(s => s.ToParsableString() == silo)
        ?? throw new InvalidOperationException($"silo {silo} of the pipeline plan is not among the active, compatible silos");
}
