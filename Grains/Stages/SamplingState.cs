using Cluster.Engine.Sampling;
using Cluster.Grains.Sequences;

namespace Cluster.Grains.Stages;

/// <summary>
/// The last stage's copy of what sampling one sequence needs (settings, seed, prompt, tokens
/// sampled so far). The sequence grain owns the history; this copy is extended by the stage as it
/// samples, so decode messages need not carry a history that grows with the context.
/// </summary>
internal sealed class SamplingState(SamplingSettings settings, int[] prompt, long seed)
{
    private readonly List<int> _outputs = [];

    public SamplingParams Params { get; } = settings.ToEngine();

    public void Append(int token) => _outputs.Add(token);

    /// <summary>A snapshot: the executor reads it on its own thread.</summary>
    public SamplingContext Context() => SamplingContext.ForNextToken(prompt, _outputs.ToArray(), seed);
}
