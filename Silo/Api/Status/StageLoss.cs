namespace Cluster.Silo.Api.Status;

/// <summary>A stage whose silo went, and the silo the plan placed it on next (null until it is re-placed).</summary>
public sealed record StageLoss(string Key, string Layers, string Silo, DateTimeOffset LostAt, string? ReplacedBy = null, DateTimeOffset? ReplacedAt = null);
