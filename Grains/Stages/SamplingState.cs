using Cluster.Engine.Sampling;
using Cluster.Grains.Sequences;

namespace Cluster.Grains.Stages;

/// <summary>
/// The last stage's copy of what sampling one sequence needs (settings, prompt, tokens sampled so
/// far). The sequence grain owns the history; this copy is extended by the stage itself as it
/// samples, so decode messages need not carry a history that grows with the context.
/// </summary>
internal sealed class SamplingState(SamplingSettings settings, int[] prompt)
{
    private readonly List<int> _outputs = [];

    public SamplingParams Params { get; } = settings.ToEngine();

    // Drawn once per sequence, so every token of it (and any replay) keys on the same seed.
    private readonly long _seed = settings.ToEngine().ResolveSeed();

    public void Append(int token) => _outputs.Add(token);

    /// <summary>A snapshot: the executor reads it on its own thread.</summary>
    public SamplingContext Context() => new(prompt, _outputs.ToArray(), _outputs.Count, _seed);
}
