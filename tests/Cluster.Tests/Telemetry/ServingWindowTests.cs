using Cluster.Grains.Telemetry;

namespace Cluster.Tests.Telemetry;

/// <summary>The live serving figures a last stage reports for its replica, fed as <see cref="SequenceTimeline"/> feeds them.</summary>
public sealed class ServingWindowTests
{
    [Fact]
    public void Read_WhenRequestsRunAndFinish_CountsThemPerReplicaWithRecentLatencies()
    {
        var clock = new ManualClock();
        var window = new ServingWindow(clock);
        window.Waiting("m", 0, +1);
        window.Waiting("m", 0, -1);
        window.Running("m", 0, +1);
        window.Running("m", 0, +1);
        window.FirstToken("m", 0, TimeSpan.FromMilliseconds(40));
        window.FirstToken("m", 0, TimeSpan.FromMilliseconds(60));
        for (int i = 0; i < 7; i++) window.Generated("m", 0);
        window.Generated("m", 1);
        window.Running("m", 0, -1);
        window.Finished("m", 0, TimeSpan.FromMilliseconds(12));
        window.Finished("m", 0, perOutputToken: null);

        var figures = window.Read("m", 0);
        Assert.Equal(1, figures.Running);
        Assert.Equal(0, figures.Waiting);
        Assert.Equal(7, figures.GeneratedTokens);
        Assert.Equal(2, figures.FinishedRequests);
        Assert.Equal(50, figures.TimeToFirstTokenMs!.Value, 6);
        Assert.Equal(12, figures.TimePerOutputTokenMs!.Value, 6);
        Assert.Equal(1, window.Read("m", 1).GeneratedTokens);

        clock.Advance(ServingWindow.Length + TimeSpan.FromSeconds(1));
        var later = window.Read("m", 0);
        Assert.Null(later.TimeToFirstTokenMs);
        Assert.Null(later.TimePerOutputTokenMs);
        Assert.Equal(7, later.GeneratedTokens);
    }
}
