using Cluster.Grains.Sequences;

namespace Cluster.Tests.Replay;

public sealed class ReplayPlanTests
{
    [Fact]
    public void ComputeFrom_WhenNoStageHoldsAnything_EveryStageComputesTheWholeHistory()
    {
        Assert.Equal([0, 0, 0], ReplayPlan.ComputeFrom(40, [0, 0, 0], [0, 0, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenTheMiddleStageIsLost_ItsPredecessorResendsFromItsLogAndTheLastComputesOnlyTheNewRow()
    {
        // 40 history tokens: stage 0 had computed all 40 (the lost step reached it), stage 2 the first 39.
        Assert.Equal([40, 0, 39], ReplayPlan.ComputeFrom(40, [40, 0, 39], [40, 0, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenThePredecessorKeepsNoLog_ItRecomputesWhatTheLostStageNeeds()
    {
        Assert.Equal([0, 0, 39], ReplayPlan.ComputeFrom(40, [40, 0, 39], [0, 0, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenTheLogStoppedAtItsBudget_ThePredecessorComputesFromWhereItStops()
    {
        Assert.Equal([25, 0, 39], ReplayPlan.ComputeFrom(40, [40, 0, 39], [25, 0, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenTheFirstStageIsLost_OnlyItComputesTheWholeHistory()
    {
        Assert.Equal([0, 40, 39], ReplayPlan.ComputeFrom(40, [0, 40, 39], [0, 40, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenTheLastStageHoldsEveryPosition_ItStillComputesTheFinalOneToSampleFromIt()
    {
        Assert.Equal([40, 39], ReplayPlan.ComputeFrom(40, [40, 40], [40, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenTwoAdjacentStagesAreLost_TheStageBeforeThemFeedsTheFirstFromItsLog()
    {
        Assert.Equal([12, 0, 0, 11], ReplayPlan.ComputeFrom(12, [12, 0, 0, 11], [12, 0, 0, 0]));
    }

    [Fact]
    public void ComputeFrom_WhenAStageHoldsLessThanItsSuccessorNeeds_ItComputesFromWhatItHolds()
    {
        // Stage 1 lost its last step (holds 10 of 12); stage 2 holds 11.
        Assert.Equal([12, 10, 11], ReplayPlan.ComputeFrom(12, [12, 10, 11], [12, 10, 0]));
    }

    [Fact]
    public void ComputeFrom_NeverStartsAStagePastWhatItsPagesHold()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 2000; trial++)
        {
            int stages = random.Next(1, 6), history = random.Next(1, 60);
            var computed = Enumerable.Range(0, stages).Select(_ => random.Next(0, history + 1)).ToArray();
            var logged = computed.Select((c, j) => j == stages - 1 ? 0 : random.Next(0, c + 1)).ToArray();
            var from = ReplayPlan.ComputeFrom(history, computed, logged);
            for (int j = 0; j < stages; j++)
            {
                Assert.InRange(from[j], 0, Math.Min(computed[j], j == stages - 1 ? history - 1 : history));
                // What the next stage computes, this one either computes or has in its log.
                if (j + 1 < stages && from[j + 1] < from[j]) Assert.True(logged[j] >= from[j], $"trial {trial}: stage {j}");
            }
        }
    }

    [Fact]
    public void ComputeFrom_WhenTheFiguresDoNotMatchTheStages_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReplayPlan.ComputeFrom(4, [1, 2], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplayPlan.ComputeFrom(0, [0], [0]));
    }
}
