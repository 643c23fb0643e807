using Cluster.Silo.Api.Generation;

namespace Cluster.Api.Tests.Generation;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void Push_WhenStopIsSplitAcrossPieces_StopsBeforeIt()
    {
        var matcher = new StopStringMatcher(["END"]);
        string released = matcher.Push("hello E") + matcher.Push("N") + matcher.Push("D and more");
        Assert.True(matcher.Stopped);
        Assert.Equal("hello ", released);
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void Push_WhenTextOnlyStartsLikeAStop_ReleasesItAtFlush()
    {
        var matcher = new StopStringMatcher(["END"]);
        // "END" is 3 long: the last 2 characters wait for the next piece.
        string released = matcher.Push("the E");
        Assert.Equal("the", released);
        Assert.False(matcher.Stopped);
        Assert.Equal(" E", matcher.Flush());
    }

    [Fact]
    public void Push_WhenSeveralStopsMatch_StopsAtTheEarliest()
    {
        var matcher = new StopStringMatcher(["world", "lo"]);
        Assert.Equal("hel", matcher.Push("hello world"));
    }

    [Fact]
    public void Push_WhenNoStops_ReleasesEverythingAtOnce()
    {
        var matcher = new StopStringMatcher([]);
        Assert.Equal("abc", matcher.Push("abc"));
    }
}
