namespace Cluster.Grains.Sequences;

/// <summary>A generation request as the sequence grain takes it: prompt token ids and sampling settings.</summary>
[GenerateSerializer, Immutable, Alias("cluster.generate-request")]
public sealed record GenerateRequest(
    [property: Id(0)] int[] PromptTokenIds,
    [property: Id(1)] SamplingSettings Sampling);
