using System.Threading.Channels;
using Cluster.Engine.Sampling;

namespace Cluster.Engine.Generation;

/// <summary>One request inside the single-process generator: its tokens and how many are computed.</summary>
internal sealed class LocalSequence(string id, IReadOnlyList<int> prompt, SamplingParams sampling, int maxTokens, CancellationToken cancellation)
{
    public string Id { get; } = id;

    public IReadOnlyList<int> Prompt { get; } = prompt;

    public SamplingParams Sampling { get; } = sampling;

    /// <summary>Chosen once (the request's seed, or a random one) so every draw is replayable.</summary>
    public long Seed { get; } = sampling.ResolveSeed();

    public int MaxTokens { get; } = maxTokens;

    public CancellationToken Cancellation { get; } = cancellation;

    public List<int> Tokens { get; } = prompt.ToList();

    public List<int> Output { get; } = [];

    /// <summary>Tokens whose K/V are in the cache; the scheduler brings this up to <see cref="Tokens"/>.Count.</summary>
    public int Computed { get; set; }

    public Channel<GeneratedToken> Stream { get; } = Channel.CreateUnbounded<GeneratedToken>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
}
