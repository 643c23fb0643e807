using Cluster.Engine.Paging;
using Cluster.Grains.Stages;
using Cluster.Tests.Telemetry;

namespace Cluster.Tests.Preemption;

public sealed class StagePageLeasesTests
{
    private const int PageSize = 4;
    private readonly ManualClock _clock = new();
    private readonly List<int> _released = [];

    private StagePageLeases Leases(int pages, double watermark = 0) =>
        new(new SequencePages(new PagePool(pages, PageSize)), TimeSpan.FromMinutes(1), watermark, new StageHistory(0), new StageSampling(), _clock, () => { }, _released.Add);

    private static void Run(StagePageLeases leases, string sequenceId)
    {
        leases.StepStarted(sequenceId);
        leases.StepDone(sequenceId);
    }

    [Fact]
    public void TryGrow_WhenAStepCrossesIntoANewPage_AddsOnePageAndOnlyThen()
    {
        var leases = Leases(pages: 4);
        Assert.True(leases.Reserve("a", 3, 0).Granted);

        Assert.Empty(leases.TryGrow("a", 4)!);
        var added = leases.TryGrow("a", 5);

        Assert.Single(added!);
        Assert.True(leases.TryGetTable("a", out var table));
        Assert.Equal(2, table.Length);
        Assert.Equal(added![0], table[1]);
    }

    [Fact]
    public void TryGrow_WhenThePoolIsDry_ReturnsNullAndChangesNothing()
    {
        var leases = Leases(pages: 2);
        Assert.True(leases.Reserve("a", 4, 0).Granted);
        Assert.True(leases.Reserve("b", 4, 0).Granted);

        Assert.Null(leases.TryGrow("a", 5));
        Assert.True(leases.TryGetTable("a", out var table));
        Assert.Single(table);
    }

    [Fact]
    public void Reserve_WhenANewSequenceWouldEatIntoTheWatermark_IsRefusedUnlessAlone()
    {
        var leases = Leases(pages: 10, watermark: 0.2); // 2 pages stay free for the running to grow into

        Assert.True(leases.Reserve("alone", 10 * PageSize, 0).Granted); // alone, it may take the whole pool
        leases.Free("alone");
        Assert.True(leases.Reserve("a", 4 * PageSize, 0).Granted);
        Assert.False(leases.Reserve("b", 5 * PageSize, 0).Granted); // 6 free - 5 < 2
        Assert.True(leases.Reserve("b", 4 * PageSize, 0).Granted);  // 6 free - 4 = 2
        Assert.True(leases.Reserve("a", 5 * PageSize, 1).Granted);  // one that holds pages grows past it
    }

    [Fact]
    public void NewestRunning_PicksTheLastToArriveThatHasRunAStep()
    {
        var leases = Leases(pages: 8);
        foreach (var id in new[] { "old", "middle", "reserving" }) Assert.True(leases.Reserve(id, 4, 0).Granted);
        Run(leases, "old");
        Run(leases, "middle");

        Assert.Equal("middle", leases.NewestRunning()); // "reserving" has not run: it is not running yet
    }

    [Fact]
    public void NewestRunning_WhileTheOneAskedHasNotFreedItsPages_AsksNobodyElse_ThenAsksAgain()
    {
        var leases = Leases(pages: 8);
        foreach (var id in new[] { "old", "new" })
        {
            Assert.True(leases.Reserve(id, 4, 0).Granted);
            Run(leases, id);
        }

        Assert.Equal(0, leases.AskedToGiveWay("new"));
        Assert.Null(leases.NewestRunning());
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal("new", leases.NewestRunning()); // it ignored the request: ask again rather than wait forever
        leases.Free("new");
        Assert.Equal("old", leases.NewestRunning());
    }

    [Fact]
    public void Reserve_WhenAPreemptedSequenceIsReadmitted_ItIsTheNewestAgain()
    {
        var leases = Leases(pages: 8);
        foreach (var id in new[] { "a", "b" })
        {
            Assert.True(leases.Reserve(id, 4, 0).Granted);
            Run(leases, id);
        }
        leases.AskedToGiveWay("b");
        leases.Free("b");
        Assert.True(leases.Reserve("b", 8, 1).Granted);
        Run(leases, "b");
        leases.Free("a");
        Assert.True(leases.Reserve("a", 8, 1).Granted);
        Run(leases, "a");

        Assert.Equal("a", leases.NewestRunning());
    }

    [Fact]
    public async Task WaitForFreePages_CompletesWhenASequenceReleasesItsPages()
    {
        var leases = Leases(pages: 2);
        Assert.True(leases.Reserve("a", 5, 0).Granted);
        var waiting = leases.WaitForFreePagesAsync(TimeSpan.FromMinutes(1));
        Assert.False(waiting.IsCompleted);

        leases.Free("a");

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([2], _released); // the pages per sequence it held, for the metric
    }

    [Fact]
    public void HoldsAlone_IsTrueOnlyForTheOneSequenceHoldingPages()
    {
        var leases = Leases(pages: 4);
        Assert.True(leases.Reserve("a", 4, 0).Granted);
        Assert.True(leases.HoldsAlone("a"));
        Assert.True(leases.Reserve("b", 4, 0).Granted);
        Assert.False(leases.HoldsAlone("a"));
    }

    [Fact]
    public void Reserve_WhenAFreeWaitingForItsStepIsRefusedAgain_StillFreesThePagesAfterTheStep()
    {
        var leases = Leases(pages: 10, watermark: 0.2);
        Assert.True(leases.Reserve("a", 4 * PageSize, 0).Granted);
        Assert.True(leases.Reserve("b", 4 * PageSize, 0).Granted);
        leases.StepStarted("a");
        leases.Free("a"); // deferred: its step still runs

        Assert.False(leases.Reserve("a", 5 * PageSize, 1).Granted); // readmitted only above the watermark
        leases.StepDone("a");

        Assert.False(leases.Holds("a"));
        Assert.Equal([4], _released);
    }
}
