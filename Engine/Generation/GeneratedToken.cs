using Cluster.Engine.Sampling;

namespace Cluster.Engine.Generation;

/// <summary>One generated token; <see cref="Finish"/> is set on the last one.</summary>
public sealed record GeneratedToken(SampledToken Token, int Index, FinishReason? Finish);
