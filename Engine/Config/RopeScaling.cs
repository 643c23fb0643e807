using System.Text.Json.Serialization;

namespace Cluster.Engine.Config;

/// <summary>
/// HF <c>rope_scaling</c>: <c>linear</c> divides positions by <see cref="Factor"/>; <c>llama3</c>
/// rescales the inverse frequencies by wavelength band (Llama 3.1).
/// </summary>
public sealed record RopeScaling
{
    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }

    /// <summary>Older configs spell the type <c>type</c>.</summary>
    [JsonPropertyName("type")] public string? LegacyType { get; init; }

    [JsonPropertyName("factor")] public double Factor { get; init; } = 1.0;

    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1.0;

    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4.0;

    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    [JsonIgnore] public string Kind => (RopeType ?? LegacyType ?? "default").ToLowerInvariant();
}
