using Cluster.Engine.Sampling;

namespace Cluster.Engine.Execution;

/// <summary>What the last stage produces from a sequence's final row.</summary>
public sealed record OutputRequest
{
    public static readonly OutputRequest None = new();

    /// <summary>Sample the next token with these parameters and this history.</summary>
    public SamplingParams? Sampling { get; init; }

    public SamplingContext? Context { get; init; }

    /// <summary>Return the raw logits row (the test oracle and tools use it).</summary>
    public bool Logits { get; init; }

    public bool IsNone => Sampling is null && !Logits;

    public static OutputRequest Sample(SamplingParams sampling, SamplingContext context) => new() { Sampling = sampling, Context = context };

    public static OutputRequest RawLogits { get; } = new() { Logits = true };
}
