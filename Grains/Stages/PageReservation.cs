namespace Cluster.Grains.Stages;

/// <summary>The answer to a page reservation: the page ids granted (all or none) and what is left.</summary>
[GenerateSerializer, Immutable, Alias("cluster.page-reservation")]
public sealed record PageReservation(
    [property: Id(0)] bool Granted,
    [property: Id(1)] int[] PageIds,
    [property: Id(2)] int FreePages,
    [property: Id(3)] int PageCount,
    [property: Id(4)] int PageSize);
