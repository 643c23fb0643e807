using Cluster.Engine.Sampling;

namespace Cluster.Engine.Execution;

/// <summary>
/// What a stage produced for one sequence: hidden states for the next stage, or (last stage) a
/// sampled token and/or the logits row it was drawn from.
/// </summary>
public sealed record StageResult(string SequenceId)
{
    public byte[]? Hidden { get; init; }

    public SampledToken? Token { get; init; }

    public float[]? Logits { get; init; }
}
