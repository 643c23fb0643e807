namespace Cluster.Grains.Pipeline;

/// <summary>
/// The stages of every replica of one model, in order, as the silos' adverts describe them; or
/// the reason they do not yet make a whole pipeline.
/// </summary>
public sealed record PipelinePlan(string Model, int TotalLayers, IReadOnlyList<IReadOnlyList<StagePlacement>> Replicas, string? Problem)
{
    public bool IsComplete => Problem is null;

    public IReadOnlyList<StagePlacement> Stages(int replica)
    {
        if (Problem is not null) throw new InvalidOperationException($"model '{Model}' has no complete pipeline: {Problem}");
        if (replica < 0 || replica >= Replicas.Count)
            throw new ArgumentOutOfRangeException(nameof(replica), $"model '{Model}' has {Replicas.Count} replicas (asked for {replica})");
        return Replicas[replica];
    }

    public override string ToString() => Problem is not null
        ? $"{Model}: incomplete ({Problem})"
        : $"{Model}: " + string.Join(" | ", Replicas.Select((stages, r) => $"replica {r}: " + string.Join(", ", stages.Select(s => $"{s.Layers.Start}-{s.Layers.End - 1}@{s.Silo}"))));
}
