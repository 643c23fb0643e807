namespace Cluster.Grains.Stages;

/// <summary>
/// The answer to a page reservation: the page ids granted (all or none) and what is left; for a
/// sequence the stage already held, how much of its past the stage keeps (what a replay can skip).
/// </summary>
[GenerateSerializer, Immutable, Alias("cluster.page-reservation")]
public sealed record PageReservation(
    [property: Id(0)] bool Granted,
    [property: Id(1)] int[] PageIds,
    [property: Id(2)] int FreePages,
    [property: Id(3)] int PageCount,
    [property: Id(4)] int PageSize)
{
    /// <summary>Positions [0, n) of the sequence whose K/V the granted pages already hold.</summary>
    [Id(5)] public int ComputedTokens { get; init; }

    /// <summary>Positions [0, n) whose activations the stage can send on again (its activation log).</summary>
    [Id(6)] public int LoggedTokens { get; init; }
}
