using Cluster.Engine.Model;

namespace Cluster.Grains.Pipeline;

/// <summary>
/// Builds a model's pipeline plan from the silos' adverts. Explicit: each silo names the layer
/// ranges it hosts; a replica's stages are those ranges in layer order (where several silos host
/// the same range, replica r takes the (r mod n)-th of them). Automatic: the silos that advertise
/// no ranges split the layers between them in proportion to the device memory they offer. Plain
/// C#, so the planning is tested without a cluster.
/// </summary>
public static class PipelinePlanner
{
    public static PipelinePlan Build(string model, IEnumerable<SiloAdvert> adverts)
    {
        var serving = adverts.Where(a => a.Model == model).OrderBy(a => a.Silo, StringComparer.Ordinal).ToList();
        if (serving.Count == 0) return Incomplete(model, 0, $"no silo serves model '{model}'");
        int total = serving[0].TotalLayers;
        if (serving.Any(a => a.TotalLayers != total))
            return Incomplete(model, total, "silos disagree on the model's layer count: " + string.Join(", ", serving.Select(a => $"{a.Silo}={a.TotalLayers}")));
        if (serving.Select(a => a.Dtype).Distinct().Count() > 1)
            return Incomplete(model, total, "silos disagree on the compute dtype (activations travel in it): " + string.Join(", ", serving.Select(a => $"{a.Silo}={a.Dtype}")));
        int replicas = serving.Max(a => a.Replicas);
        bool anyExplicit = serving.Any(a => !a.Automatic);

        var plan = new List<IReadOnlyList<StagePlacement>>();
        for (int r = 0; r < replicas; r++)
        {
            var candidates = serving.Where(a => a.Serves(r) && a.Automatic != anyExplicit).ToList();
            var (stages, problem) = anyExplicit ? Explicit(candidates, total, r) : Automatic(candidates, total, r);
            if (problem is not null) return Incomplete(model, total, problem);
            plan.Add(stages);
        }
        return new PipelinePlan(model, total, plan, null);
    }

    private static (IReadOnlyList<StagePlacement>, string?) Explicit(List<SiloAdvert> silos, int total, int replica)
    {
        // Spares only stand in for silos of a plan; alone they would load the whole model as one stage.
        if (silos.All(s => s.Spare)) return ([], $"only spare silos serve replica {replica}");
        var spares = silos.Where(s => s.Spare).Select(s => s.Silo).ToArray();
        int sparesUsed = 0;
        var byRange = silos.SelectMany(s => s.Layers!.Select(range => (range, s.Silo)))
            .GroupBy(x => (x.range.Start, x.range.End))
            .OrderBy(g => g.Key.Start).ThenBy(g => g.Key.End)
            .ToList();
        var stages = new List<StagePlacement>();
        int next = 0;
        foreach (var group in byRange)
        {
            if (group.Key.Start > next && sparesUsed < spares.Length)
            {
                // Replicas take spares in turn, so two replicas that lost a range do not share one spare.
                stages.Add(new StagePlacement(stages.Count, new LayerRange(next, group.Key.Start, total), spares[(replica + sparesUsed++) % spares.Length]));
                next = group.Key.Start;
            }
            if (group.Key.Start != next)
            {
                return group.Key.Start > next
                    ? ([], $"layers {next}-{group.Key.Start - 1} are hosted by no silo for replica {replica}")
                    : ([], $"layer ranges overlap at layer {group.Key.Start} for replica {replica}: " + string.Join(", ", byRange.Select(g => $"{g.Key.Start}-{g.Key.End - 1}")));
            }
            var hosts = group.Select(x => x.Silo).Distinct().ToArray();
            stages.Add(new StagePlacement(stages.Count, new LayerRange(group.Key.Start, group.Key.End, total), hosts[replica % hosts.Length]));
            next = group.Key.End;
        }
        if (next != total && sparesUsed < spares.Length)
        {
            stages.Add(new StagePlacement(stages.Count, new LayerRange(next, total, total), spares[(replica + sparesUsed++) % spares.Length]));
            next = total;
        }
        if (next != total) return ([], $"layers {next}-{total - 1} are hosted by no silo for replica {replica}");
        return (stages, null);
    }

    private static (IReadOnlyList<StagePlacement>, string?) Automatic(List<SiloAdvert> silos, int total, int replica)
    {
        if (silos.Count == 0) return ([], $"no silo serves replica {replica}");
        // The split depends on who takes part: wait for every expected silo rather than load
        // stages for a split the next silo to join would change.
        int expected = silos.Max(s => s.ExpectedSilos);
        if (silos.Count < expected) return ([], $"{silos.Count} of {expected} expected automatic silos have joined");
        // At most one stage per layer: the silos offering the most memory take part.
        var chosen = silos.OrderByDescending(s => s.MemoryMb).ThenBy(s => s.Silo, StringComparer.Ordinal).Take(total)
            .OrderBy(s => s.Silo, StringComparer.Ordinal).ToList();
        // Layers in proportion to the memory each offers, the LM head counted on the last stage.
        var ranges = StageCost.Balanced(total, chosen.Select(s => (double)Math.Max(1, s.MemoryMb)).ToArray(), chosen.Max(s => s.HeadLayers));
        return (chosen.Select((s, i) => new StagePlacement(i, ranges[i], s.Silo)).ToArray(), null);
    }

    private static PipelinePlan Incomplete(string model, int total, string problem) => new(model, total, [], problem);
}
