using Cluster.Engine.Execution;
using Cluster.Grains.Sequences;

namespace Cluster.Grains.Stages;

/// <summary>
/// The last stage's sampling state of every sequence it samples for (<see cref="SamplingState"/>):
/// registered by the sequence before its prefill, extended with each token drawn here, dropped
/// with the sequence's pages.
/// </summary>
internal sealed class StageSampling
{
    private readonly Dictionary<string, SamplingState> _states = [];

    public void Register(string sequenceId, SamplingSettings settings, int[] promptTokenIds, int[] outputTokenIds, long seed) =>
        _states[sequenceId] = new SamplingState(settings, promptTokenIds, outputTokenIds, seed);

    public bool Has(string sequenceId) => _states.ContainsKey(sequenceId);

    /// <summary>What the executor is to give back for a step: a sampled token when the step asks for one, else nothing.</summary>
    public OutputRequest OutputFor(StageMessage message) =>
        message.Sample && _states.TryGetValue(message.SequenceId, out var state)
            ? OutputRequest.Sample(state.Params, state.Context())
            : OutputRequest.None;

    public void Append(string sequenceId, int tokenId) => _states[sequenceId].Append(tokenId);

    public void Forget(string sequenceId) => _states.Remove(sequenceId);
}
