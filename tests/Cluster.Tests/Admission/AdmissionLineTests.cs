using Cluster.Grains.Admission;

namespace Cluster.Tests.Admission;

public sealed class AdmissionLineTests
{
    private static async Task<IDisposable> JoinAsync(AdmissionLine line, bool priority, CancellationToken cancellationToken = default)
    {
        Assert.True(line.TryJoin(int.MaxValue));
        return await line.WaitForTurnAsync(priority, cancellationToken);
    }

    [Fact]
    public async Task WaitForTurn_WhenPreemptedSequencesWait_TheyGoBeforeEveryNewRequest()
    {
        var line = new AdmissionLine();
        var head = await JoinAsync(line, priority: false);
        var order = new List<string>();
        async Task Take(string name, bool priority)
        {
            using var turn = await JoinAsync(line, priority);
            order.Add(name);
        }

        var waiting = new[] { Take("new 1", false), Take("new 2", false), Take("preempted 1", true), Take("preempted 2", true) };
        head.Dispose();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["preempted 1", "preempted 2", "new 1", "new 2"], order);
        Assert.Equal(0, line.Waiting);
    }

    [Fact]
    public async Task WaitForTurn_WhenAWaiterIsCancelled_ItLeavesWithoutTakingTheTurn()
    {
        var line = new AdmissionLine();
        var head = await JoinAsync(line, priority: false);
        using var cancel = new CancellationTokenSource();
        var cancelled = JoinAsync(line, priority: true, cancel.Token);
        var next = JoinAsync(line, priority: false);

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(2, line.Waiting);
        head.Dispose();
        using var turn = await next.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, line.Waiting);
    }

    [Fact]
    public void TryJoin_PastTheLimit_IsRefused()
    {
        var line = new AdmissionLine();
        Assert.True(line.TryJoin(1));
        Assert.False(line.TryJoin(1));
    }
}
