using Cluster.Grains.Routing;
using Cluster.Grains.Stages;

namespace Cluster.Tests.Support;

/// <summary>
/// Waits for the stages' page pools to be full again. A sequence gives its pages back as its last
/// token is streamed, not before it: the caller may see the end of a stream a moment before the
/// stages have them back, so an assertion on the pools right after a stream would race.
/// </summary>
public static class Pools
{
    /// <summary>Asks (bounded) until every stage's pool is full; returns the last figures, full or not.</summary>
    public static async Task<StageStatus[]> WaitUntilFullAsync(Func<Task<StageStatus[]>> stages, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = await stages();
        while (last.Any(s => s.FreePages != s.PageCount) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            last = await stages();
        }
        return last;
    }

    public static Task<StageStatus[]> WaitUntilFullAsync(IRouterGrain router, TimeSpan within) => WaitUntilFullAsync(router.GetStagesAsync, within);

    public static void AssertFull(IEnumerable<StageStatus> stages) =>
        Assert.All(stages, s => Assert.True(s.FreePages == s.PageCount, $"{s.Key}: {s.FreePages} of {s.PageCount} pages free"));
}
