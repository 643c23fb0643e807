using Cluster.Engine.Encoders;

namespace Cluster.Grains.Encoders;

/// <summary>
/// One sequence on its way through an encoder pipeline, as it travels between stage grains: token
/// ids into the first stage, float32 hidden rows (bytes, which Orleans copies whole) into later ones.
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.encoder-sequence")]
public sealed record EncoderSequence
{
    [Id(0)] public required int Length { get; init; }
    [Id(1)] public int[]? Ids { get; init; }
    [Id(2)] public byte[]? Hidden { get; init; }

    public EncoderInput ToInput() => new(Length, Ids, Hidden);

    public static EncoderSequence OfIds(int[] ids) => new() { Length = ids.Length, Ids = ids };
}
